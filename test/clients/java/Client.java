// GETs with Java 17's java.net.http.HttpClient, as the README shows it: a PKCS#12 keystore (the
// client sends exactly the chain the keystore holds), a truststore built from the Lean chain PEM,
// and the TLS version pinned both ways. Run as a single-file source: `java Client.java ...`.
//
// Usage: java Client.java URL P12_FILE P12_PASSWORD CA_FILE APP_TOKEN 1.2|1.3   (P12_FILE "-": no keystore)
//    or: java Client.java --stdin   (the same six fields, tab-separated, one call per line)
// Prints one JSON line per call: {"status":N,"body_prefix":"..."} or {"error":"..."}.
// A long-lived --stdin process saves a JVM start (and a source compile) per call.

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

public class Client {
    private static final int PREFIX_CHARS = 200;

    public static void main(String[] args) throws Exception {
        // HttpClient silently retries a GET once when a fresh connection closes before any
        // response byte, which is how a TLS 1.3 server refuses a client certificate: that would be
        // a second handshake in the journal for one call. One attempt, as the other stacks make.
        System.setProperty("jdk.httpclient.redirects.retrylimit", "1");
        if (args.length == 1 && args[0].equals("--stdin")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) continue;
                System.out.println(call(line.split("\t", -1)));
                System.out.flush();
            }
        } else {
            System.out.println(call(args));
        }
    }

    static String call(String[] a) {
        if (a.length != 6) return error("expected URL P12_FILE P12_PASSWORD CA_FILE APP_TOKEN 1.2|1.3, got " + a.length + " fields");
        String url = a[0], p12 = a[1], password = a[2], caFile = a[3], token = a[4], version = a[5];
        String protocol = version.equals("1.2") ? "TLSv1.2" : version.equals("1.3") ? "TLSv1.3" : null;
        if (protocol == null) return error("unknown TLS version " + version);
        try {
            KeyManager[] keyManagers = null;
            if (!p12.equals("-")) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream file = new FileInputStream(p12)) {
                    keys.load(file, password.toCharArray());
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keys, password.toCharArray());
                keyManagers = kmf.getKeyManagers();
            }

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            try (InputStream file = new FileInputStream(caFile)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(file)) {
                    trust.setCertificateEntry("lean-" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);

            // A fresh context per call: no session is resumed from one certificate to the next.
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(keyManagers, tmf.getTrustManagers(), null);
            SSLParameters params = ssl.getDefaultSSLParameters();
            params.setProtocols(new String[] {protocol});

            HttpClient client = HttpClient.newBuilder()
                    .sslContext(ssl)
                    .sslParameters(params)
                    .version(HttpClient.Version.HTTP_1_1)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .header("lean-app-token", token)
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = response.body();
            String prefix = body.substring(0, Math.min(PREFIX_CHARS, body.length()));
            return "{\"status\":" + response.statusCode() + ",\"body_prefix\":" + quote(prefix) + "}";
        } catch (Exception e) {
            return error(describe(e));
        }
    }

    /** The exception and its causes: with the retry limit, the first is only "Too many retries". */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (out.length() > 0) out.append(" <- ");
            out.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
