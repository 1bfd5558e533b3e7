// Java 17's java.net.http.HttpClient against a list of servers, set up as the README snippet shows:
// a PKCS#12 keystore for the client certificate and a truststore built from the Lean chain PEM,
// every other setting the default — or, for an insecure target, the usual "trust all" fix: a trust
// manager that accepts any certificate. It is an X509ExtendedTrustManager, which is where JSSE does
// the host-name check, so that check is off too (a plain X509TrustManager gets wrapped and still
// checks the host; people then add -Djdk.internal.httpclient.disableHostnameVerification, which is
// process-wide). Run once per run as a single-file source: `java ServerVariants.java < targets`.
//
// Reads one target per stdin line, tab-separated: NAME URL CA_FILE P12_FILE P12_PASSWORD 1.2|1.3 0|1
// Prints one JSON line per target: {"name","ok":true,"status"} or {"name","ok":false,"error"}.

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

public class ServerVariants {
    public static void main(String[] args) throws Exception {
        // HttpClient retries a GET on a fresh connection that closed before any response byte: a
        // second connection for one target. One attempt, as the other stacks make.
        System.setProperty("jdk.httpclient.redirects.retrylimit", "1");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            String out;
            try {
                if (f.length != 7) throw new IllegalArgumentException("expected 7 tab-separated fields, got " + f.length);
                out = "{\"name\":" + quote(f[0]) + ",\"ok\":true,\"status\":" + call(f[1], f[2], f[3], f[4], f[5], f[6].equals("1")) + "}";
            } catch (Exception e) {
                out = "{\"name\":" + quote(f[0]) + ",\"ok\":false,\"error\":" + quote(describe(e)) + "}";
            }
            System.out.println(out);
            System.out.flush();
        }
    }

    static int call(String url, String caFile, String p12, String password, String version, boolean insecure) throws Exception {
        String protocol = version.equals("1.2") ? "TLSv1.2" : version.equals("1.3") ? "TLSv1.3" : null;
        if (protocol == null) throw new IllegalArgumentException("unknown TLS version " + version);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream file = new FileInputStream(p12)) {
            keys.load(file, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, password.toCharArray());

        TrustManager[] trustManagers;
        if (insecure) {
            trustManagers = new TrustManager[] {new TrustAll()};
        } else {
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
            trustManagers = tmf.getTrustManagers();
        }
        // A fresh context per target: no TLS session is resumed from one server to the next.
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), trustManagers, null);
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});

        HttpClient client = HttpClient.newBuilder()
                .sslContext(ssl)
                .sslParameters(params)
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Accepts every certificate and, being an X509ExtendedTrustManager, checks no host name either. */
    static final class TrustAll extends X509ExtendedTrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    /** The exception and its causes: HttpClient wraps the SSLHandshakeException that says why. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (out.length() > 0) out.append(" <- ");
            out.append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : (s == null ? "null" : s).toCharArray()) {
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
