package harness

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
)

// Log collects what a process writes. The server logs one JSON object per
// line on stderr (log/slog's JSON handler); a few lines are plain text, such
// as the admin key shown on first start.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything written so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Tail is the last n bytes, for failure reports.
func (l *Log) Tail(n int) string {
	s := l.String()
	if len(s) > n {
		s = "...\n" + s[len(s)-n:]
	}
	return s
}

// Line is one JSON log line, decoded, with its text.
type Line struct {
	Fields map[string]any
	Text   string
}

// Str is the field key as a string, "" when it is missing or not one.
func (l Line) Str(key string) string {
	s, _ := l.Fields[key].(string)
	return s
}

// Lines decodes the JSON lines written so far; lines that are not JSON
// objects are left out (see Plain).
func (l *Log) Lines() []Line {
	var out []Line
	for _, text := range strings.Split(l.String(), "\n") {
		if !strings.HasPrefix(text, "{") {
			continue
		}
		var f map[string]any
		if json.Unmarshal([]byte(text), &f) == nil {
			out = append(out, Line{Fields: f, Text: text})
		}
	}
	return out
}

// Requests are the lines of the request log (message "request"), one per
// HTTP request the server answered.
func (l *Log) Requests() []Line {
	var out []Line
	for _, ln := range l.Lines() {
		if ln.Str("msg") == "request" {
			out = append(out, ln)
		}
	}
	return out
}

// Plain is the output that is not JSON log lines.
func (l *Log) Plain() string {
	var b strings.Builder
	for _, text := range strings.Split(l.String(), "\n") {
		if !strings.HasPrefix(text, "{") {
			b.WriteString(text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
