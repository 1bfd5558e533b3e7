// One GET with Go's net/http, as a Lean integrator writes it: tls.LoadX509KeyPair on the
// certificate file (Go sends exactly what that file holds, so leaf-only and leaf + chain differ),
// the Lean chain as RootCAs, and the TLS version pinned both ways.
//
// Usage: client URL CERT_FILE KEY_FILE CA_FILE APP_TOKEN 1.2|1.3   (CERT_FILE and KEY_FILE "-": no certificate)
// Prints one JSON line: {"status":N,"body_prefix":"..."} or {"error":"..."}; exits 0 either way.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const prefixRunes = 200

func main() {
	if len(os.Args) != 7 {
		fail(fmt.Sprintf("usage: %s URL CERT_FILE KEY_FILE CA_FILE APP_TOKEN 1.2|1.3", os.Args[0]))
	}
	url, certFile, keyFile, caFile, token, version := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6]

	pinned, ok := map[string]uint16{"1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}[version]
	if !ok {
		fail("unknown TLS version " + version)
	}
	var certificates []tls.Certificate
	if certFile != "-" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			fail("LoadX509KeyPair: " + err.Error())
		}
		certificates = append(certificates, pair)
	}
	caPem, err := os.ReadFile(caFile)
	if err != nil {
		fail(err.Error())
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPem) {
		fail("no certificate in " + caFile)
	}

	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy: nil, // the mock is on loopback: never a proxy from the environment
			TLSClientConfig: &tls.Config{
				Certificates: certificates,
				RootCAs:      roots,
				MinVersion:   pinned,
				MaxVersion:   pinned,
			},
		},
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		fail(err.Error())
	}
	req.Header.Set("lean-app-token", token)
	res, err := client.Do(req)
	if err != nil {
		fail(err.Error())
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		fail("reading the body: " + err.Error())
	}
	runes := []rune(string(body))
	if len(runes) > prefixRunes {
		runes = runes[:prefixRunes]
	}
	emit(map[string]any{"status": res.StatusCode, "body_prefix": string(runes)})
}

func emit(value map[string]any) {
	line, _ := json.Marshal(value)
	fmt.Println(string(line))
}

func fail(message string) {
	emit(map[string]any{"error": message})
	os.Exit(0)
}
