package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// counter counts Login and Logout calls and injects the -fault asked for.
type counter struct {
	next  http.Handler
	fault string
	mu    sync.Mutex
	in    int
	out   int
	pages int
}

func (c *counter) logins() int    { c.mu.Lock(); defer c.mu.Unlock(); return c.in }
func (c *counter) logouts() int   { c.mu.Lock(); defer c.mu.Unlock(); return c.out }
func (c *counter) continues() int { c.mu.Lock(); defer c.mu.Unlock(); return c.pages }

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	if bytes.Contains(body, []byte("<Login>")) || bytes.Contains(body, []byte("<Login ")) {
		c.in++
	}
	if bytes.Contains(body, []byte("<Logout>")) || bytes.Contains(body, []byte("<Logout ")) {
		c.out++
	}
	if bytes.Contains(body, []byte("<ContinueRetrievePropertiesEx")) {
		c.pages++
	}
	c.mu.Unlock()
	retrieve := bytes.Contains(body, []byte("RetrievePropertiesEx"))
	if retrieve && c.fault == "hang" {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Minute):
		}
		return
	}
	if retrieve && c.fault == "truncate" {
		rec := httptest.NewRecorder()
		c.next.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(rec.Code)
		w.Write(out[:len(out)/2])
		return
	}
	c.next.ServeHTTP(w, r)
}
