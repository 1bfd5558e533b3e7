# Ruby's Net::HTTP against a list of servers, as the README snippet sets it up: cert, key and
# ca_file, every other setting the default — or, for an insecure target, verify_mode VERIFY_NONE.
#
# Reads one target per stdin line, tab-separated: NAME URL CA_FILE CERT_FILE KEY_FILE 1.2|1.3 0|1
# Prints one JSON line per target: {"name","ok":true,"status"} or {"name","ok":false,"error"}.
require 'json'
require 'net/http'
require 'openssl'

VERSIONS = { '1.2' => OpenSSL::SSL::TLS1_2_VERSION, '1.3' => OpenSSL::SSL::TLS1_3_VERSION }.freeze

def call(url, ca_file, cert_file, key_file, version, insecure)
  pinned = VERSIONS.fetch(version) { raise ArgumentError, "unknown TLS version #{version}" }
  uri = URI(url)
  # nil proxy address: never a proxy from the environment, the servers are on loopback.
  http = Net::HTTP.new(uri.host, uri.port, nil)
  http.use_ssl = true
  http.cert = OpenSSL::X509::Certificate.new(File.read(cert_file))
  http.key = OpenSSL::PKey.read(File.read(key_file))
  http.ca_file = ca_file
  http.verify_mode = OpenSSL::SSL::VERIFY_NONE if insecure
  http.min_version = pinned
  http.max_version = pinned
  # Net::HTTP retries an idempotent GET once on an SSL error: a second connection for one target.
  http.max_retries = 0
  http.open_timeout = 10
  http.read_timeout = 10
  http.get(uri.request_uri).code.to_i
end

$stdout.sync = true
$stdin.each_line do |line|
  next if line.strip.empty?

  name, *fields = line.chomp.split("\t", -1)
  begin
    raise ArgumentError, "expected 7 tab-separated fields, got #{fields.length + 1}" unless fields.length == 6

    url, ca_file, cert_file, key_file, version, insecure = fields
    puts JSON.generate(name: name, ok: true, status: call(url, ca_file, cert_file, key_file, version, insecure == '1'))
  rescue StandardError => e
    puts JSON.generate(name: name, ok: false, error: "#{e.class}: #{e.message}")
  end
end
