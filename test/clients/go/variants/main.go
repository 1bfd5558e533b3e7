// Go's net/http against a list of servers, each verified the way a Lean integrator's client does:
// the Lean chain as RootCAs, the client certificate from tls.LoadX509KeyPair, every other setting
// Go's default — or, for an insecure target, InsecureSkipVerify: true, the setting people reach
// for to "get mTLS working for now". Built once per run: one process answers every target.
//
// Reads one target per stdin line, tab-separated: NAME URL CA_FILE CERT_FILE KEY_FILE 1.2|1.3 0|1
// Prints one JSON line per target: {"name","ok":true,"status"} or {"name","ok":false,"error"}.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	lines := bufio.NewScanner(os.Stdin)
	lines.Buffer(make([]byte, 64*1024), 1024*1024)
	for lines.Scan() {
		if strings.TrimSpace(lines.Text()) == "" {
			continue
		}
		fields := strings.Split(lines.Text(), "\t")
		name := fields[0]
		if len(fields) != 7 {
			emit(name, 0, fmt.Sprintf("expected 7 tab-separated fields, got %d", len(fields)))
			continue
		}
		status, err := call(fields[1], fields[2], fields[3], fields[4], fields[5], fields[6] == "1")
		if err != nil {
			emit(name, 0, err.Error())
		} else {
			emit(name, status, "")
		}
	}
}

func call(url, caFile, certFile, keyFile, version string, insecure bool) (int, error) {
	pinned, ok := map[string]uint16{"1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}[version]
	if !ok {
		return 0, fmt.Errorf("unknown TLS version %s", version)
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return 0, fmt.Errorf("LoadX509KeyPair: %w", err)
	}
	caPem, err := os.ReadFile(caFile)
	if err != nil {
		return 0, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPem) {
		return 0, fmt.Errorf("no certificate in %s", caFile)
	}
	// A fresh transport per target: no connection or session carries over to the next server.
	transport := &http.Transport{
		Proxy: nil, // the servers are on loopback: never a proxy from the environment
		TLSClientConfig: &tls.Config{
			Certificates:       []tls.Certificate{pair},
			RootCAs:            roots,
			MinVersion:         pinned,
			MaxVersion:         pinned,
			InsecureSkipVerify: insecure,
		},
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Timeout: 10 * time.Second, Transport: transport}
	res, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

func emit(name string, status int, message string) {
	value := map[string]any{"name": name, "ok": message == ""}
	if message == "" {
		value["status"] = status
	} else {
		value["error"] = message
	}
	line, _ := json.Marshal(value)
	fmt.Println(string(line))
}
