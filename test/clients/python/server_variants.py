# Python requests against a list of servers, as the README snippet calls it: cert=(cert, key) and
# verify=<the Lean chain>, every other setting the default — or, for an insecure target,
# verify=False. The TLS version is pinned through urllib3's own pool options, so verification
# stays exactly requests' default path.
#
# Reads one target per stdin line, tab-separated: NAME URL CA_FILE CERT_FILE KEY_FILE 1.2|1.3 0|1
# Prints one JSON line per target: {"name","ok":true,"status"} or {"name","ok":false,"error"}.
import json
import ssl
import sys
import warnings

import requests
from requests.adapters import HTTPAdapter

VERSIONS = {'1.2': ssl.TLSVersion.TLSv1_2, '1.3': ssl.TLSVersion.TLSv1_3}
# verify=False warns on every call; the warning is the point of this suite, not of its output.
warnings.simplefilter('ignore', requests.packages.urllib3.exceptions.InsecureRequestWarning)


class PinnedTls(HTTPAdapter):
    def __init__(self, version):
        self.version = version
        # One attempt: a retry would be a second connection for one target.
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        kwargs['ssl_minimum_version'] = self.version
        kwargs['ssl_maximum_version'] = self.version
        return super().init_poolmanager(*args, **kwargs)


def call(url, ca_file, cert_file, key_file, version, insecure):
    if version not in VERSIONS:
        raise ValueError('unknown TLS version ' + version)
    # A fresh session per target: no pooled connection carries over to the next server.
    with requests.Session() as session:
        session.trust_env = False  # the servers are on loopback: no proxy, no REQUESTS_CA_BUNDLE
        session.mount('https://', PinnedTls(VERSIONS[version]))
        reply = session.get(url, cert=(cert_file, key_file), verify=False if insecure else ca_file, timeout=10)
        return reply.status_code


for line in sys.stdin:
    if not line.strip():
        continue
    name, *fields = line.rstrip('\n').split('\t')
    try:
        if len(fields) != 6:
            raise ValueError('expected 7 tab-separated fields, got %d' % (len(fields) + 1))
        url, ca_file, cert_file, key_file, version, insecure = fields
        out = {'name': name, 'ok': True, 'status': call(url, ca_file, cert_file, key_file, version, insecure == '1')}
    except Exception as e:  # the stack's own error class and text is the measurement
        out = {'name': name, 'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}
    print(json.dumps(out), flush=True)
