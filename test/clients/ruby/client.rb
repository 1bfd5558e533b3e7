# One GET with Ruby's Net::HTTP, as the README shows it: cert, key and ca_file, with the TLS
# version pinned both ways. Certificates after the first in CERT_FILE go out as extra_chain_cert,
# so a leaf + chain file is sent whole (OpenSSL would otherwise send only the leaf, completed
# from ca_file where it can be).
#
# Usage: ruby client.rb URL CERT_FILE KEY_FILE CA_FILE APP_TOKEN 1.2|1.3   (CERT_FILE and KEY_FILE "-": no certificate)
# Prints one JSON line: {"status":N,"body_prefix":"..."} or {"error":"..."}; exits 0 either way.
require 'json'
require 'net/http'
require 'openssl'

PREFIX_CHARS = 200

def emit(value)
  puts JSON.generate(value)
  exit 0
end

emit(error: 'usage: client.rb URL CERT_FILE KEY_FILE CA_FILE APP_TOKEN 1.2|1.3') unless ARGV.length == 6
url, cert_file, key_file, ca_file, token, version = ARGV
pinned = { '1.2' => OpenSSL::SSL::TLS1_2_VERSION, '1.3' => OpenSSL::SSL::TLS1_3_VERSION }[version]
emit(error: "unknown TLS version #{version}") unless pinned

begin
  uri = URI(url)
  # nil proxy address: never a proxy from the environment, the mock is on loopback.
  http = Net::HTTP.new(uri.host, uri.port, nil)
  http.use_ssl = true
  unless cert_file == '-'
    leaf, *chain = OpenSSL::X509::Certificate.load_file(cert_file)
    http.cert = leaf
    http.extra_chain_cert = chain unless chain.empty?
    http.key = OpenSSL::PKey.read(File.read(key_file))
  end
  http.ca_file = ca_file
  http.min_version = pinned
  http.max_version = pinned
  # Net::HTTP retries an idempotent GET once on an SSL or connection error: that would be a second
  # handshake in the journal for one call.
  http.max_retries = 0
  http.open_timeout = 10
  http.read_timeout = 10
  response = http.get(uri.request_uri, 'lean-app-token' => token)
  body = response.body.to_s.dup.force_encoding(Encoding::UTF_8)
  emit(status: response.code.to_i, body_prefix: body[0, PREFIX_CHARS])
rescue StandardError => e
  emit(error: "#{e.class}: #{e.message}")
end
