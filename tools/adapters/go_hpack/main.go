// h2harness adapter for Go's golang.org/x/net/http2/hpack (Debian's golang-golang-x-net-dev),
// built offline from /usr/share/gocode (see BUILD.bazel).
//
//	go_hpack_adapter decode < story.json > story-with-headers.json
//	go_hpack_adapter encode [--table-size N] < story.json > story-with-wire.json
//
// The adapter protocol is described in tools/adapters/README.md: one story on stdin, the
// same story on stdout with "headers" (decode) or "wire" (encode) filled in, one Decoder /
// Encoder for the whole story, a case's "header_table_size" is the SETTINGS_HEADER_TABLE_SIZE
// from that case on (null means absent). A rejected block: exit 1 and {"error": ...} on
// stdout; bad usage or input: exit 2, message on stderr. Batch mode: after the line
// {"h2harness_batch": 1}, one story per line, one answer per line. Never-indexed literals are
// reported and honoured through each case's "never_indexed" list (HeaderField.Sensitive).
//
// Octet strings: names and values are octets; in the JSON, bytes that are not valid UTF-8
// are lone surrogates \udcXX. encoding/json would turn those into U+FFFD, so the text goes
// through toInternal before parsing (a lone \udcXX becomes U+FDD0 U+00XX, a literal U+FDD0
// becomes U+FDD0 U+FDD0) and strings come back through fromInternal; output is written by
// writeJSON, which escapes invalid UTF-8 bytes as \udcXX itself.
package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/http2/hpack"
)

const defaultTableSize = 4096

const usage = `usage: go_hpack_adapter decode < story.json
       go_hpack_adapter encode [--table-size N] < story.json
`

type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

type blockError struct {
	msg   string
	seqno interface{}
}

func (e blockError) Error() string { return e.msg }

// --- octet strings in JSON -----------------------------------------------------------------

const mark = '\uFDD0'

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// escapeAt reads \uXXXX at text[i:], or returns -1.
func escapeAt(text string, i int) int {
	if i+6 > len(text) || text[i] != '\\' || text[i+1] != 'u' {
		return -1
	}
	v := 0
	for k := i + 2; k < i+6; k++ {
		h := hexVal(text[k])
		if h < 0 {
			return -1
		}
		v = v*16 + h
	}
	return v
}

// toInternal rewrites JSON text so that encoding/json keeps lone \udc80..\udcff escapes.
func toInternal(text string) string {
	var b strings.Builder
	inString := false
	for i := 0; i < len(text); {
		c := text[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			b.WriteByte(c)
			i++
			continue
		}
		if c == '"' {
			inString = false
			b.WriteByte(c)
			i++
			continue
		}
		if c == '\\' {
			v := escapeAt(text, i)
			if v >= 0xD800 && v <= 0xDBFF {
				if w := escapeAt(text, i+6); w >= 0xDC00 && w <= 0xDFFF {
					b.WriteString(text[i : i+12]) // a surrogate pair: a real character
					i += 12
					continue
				}
			}
			if v >= 0xDC80 && v <= 0xDCFF {
				fmt.Fprintf(&b, "\\ufdd0\\u00%02x", v-0xDC00)
				i += 6
				continue
			}
			if v == 0xFDD0 {
				b.WriteString("\\ufdd0\\ufdd0")
				i += 6
				continue
			}
			if i+1 < len(text) {
				b.WriteString(text[i : i+2])
				i += 2
				continue
			}
		}
		if strings.HasPrefix(text[i:], "\uFDD0") {
			b.WriteString("\\ufdd0\\ufdd0")
			i += len("\uFDD0")
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// fromInternal turns a parsed string back into the octets it stands for.
func fromInternal(s string) string {
	if !strings.ContainsRune(s, mark) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		if rs[i] == mark && i+1 < len(rs) {
			if rs[i+1] == mark {
				b.WriteRune(mark)
			} else {
				b.WriteByte(byte(rs[i+1]))
			}
			i++
			continue
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// convert replaces every string (keys too) of a parsed tree by its octets.
func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case string:
		return fromInternal(t)
	case []interface{}:
		for i := range t {
			t[i] = convert(t[i])
		}
		return t
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, x := range t {
			out[fromInternal(k)] = convert(x)
		}
		return out
	}
	return v
}

func writeString(w *bytes.Buffer, s string) {
	w.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(w, "\\udc%02x", s[i])
			i++
			continue
		}
		switch {
		case r == '"':
			w.WriteString("\\\"")
		case r == '\\':
			w.WriteString("\\\\")
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(w, "\\u%04x", r)
		case r < 0x80:
			w.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(w, "\\u%04x\\u%04x", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(w, "\\u%04x", r)
		}
		i += size
	}
	w.WriteByte('"')
}

// writeJSON writes a tree on one line (object members sorted: order is free).
func writeJSON(w *bytes.Buffer, v interface{}) {
	switch t := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(t))
	case json.Number:
		w.WriteString(t.String())
	case string:
		writeString(w, t)
	case []interface{}:
		w.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				w.WriteString(", ")
			}
			writeJSON(w, x)
		}
		w.WriteByte(']')
	case map[string]interface{}:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		w.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				w.WriteString(", ")
			}
			writeString(w, k)
			w.WriteString(": ")
			writeJSON(w, t[k])
		}
		w.WriteByte('}')
	case []hpack.HeaderField:
		w.WriteByte('[')
		for i, f := range t {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteByte('{')
			writeString(w, f.Name)
			w.WriteString(": ")
			writeString(w, f.Value)
			w.WriteByte('}')
		}
		w.WriteByte(']')
	case []int:
		w.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(strconv.Itoa(x))
		}
		w.WriteByte(']')
	default:
		panic(fmt.Sprintf("writeJSON: %T", v))
	}
}

// --- story fields ----------------------------------------------------------------------------

func where(i int, c map[string]interface{}) string {
	if s, ok := c["seqno"].(json.Number); ok {
		return fmt.Sprintf("case %d (seqno %s)", i, s)
	}
	return fmt.Sprintf("case %d", i)
}

func seqnoOf(i int, c map[string]interface{}) interface{} {
	if s, ok := c["seqno"].(json.Number); ok {
		return s
	}
	return json.Number(strconv.Itoa(i))
}

func tableSizeOf(i int, c map[string]interface{}) (uint32, bool, error) {
	v, ok := c["header_table_size"]
	if !ok || v == nil {
		return 0, false, nil // null means absent
	}
	n, isNum := v.(json.Number)
	u, err := strconv.ParseUint(string(n), 10, 32)
	if !isNum || err != nil {
		return 0, false, inputError{where(i, c) + `: field "header_table_size": expected an integer in 0..4294967295`}
	}
	return uint32(u), true, nil
}

func wireOf(i int, c map[string]interface{}) ([]byte, error) {
	s, ok := c["wire"].(string)
	if !ok {
		return nil, inputError{where(i, c) + `: field "wire": expected a hex string`}
	}
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, inputError{where(i, c) + `: field "wire": ` + err.Error()}
	}
	return b, nil
}

func headersOf(i int, c map[string]interface{}) ([]hpack.HeaderField, error) {
	list, ok := c["headers"].([]interface{})
	if !ok {
		return nil, inputError{where(i, c) + `: field "headers": expected an array`}
	}
	out := make([]hpack.HeaderField, 0, len(list))
	for k, h := range list {
		m, ok := h.(map[string]interface{})
		if !ok || len(m) != 1 {
			return nil, inputError{fmt.Sprintf(`%s: header %d: expected {"name": "value"}`, where(i, c), k)}
		}
		for name, value := range m {
			v, ok := value.(string)
			if !ok {
				return nil, inputError{fmt.Sprintf("%s: header %d: value must be a string", where(i, c), k)}
			}
			out = append(out, hpack.HeaderField{Name: name, Value: v})
		}
	}
	if marks, ok := c["never_indexed"]; ok && marks != nil {
		arr, ok := marks.([]interface{})
		if !ok {
			return nil, inputError{where(i, c) + `: field "never_indexed": expected an array`}
		}
		for _, m := range arr {
			n, _ := m.(json.Number)
			k, err := strconv.Atoi(string(n))
			if err != nil || k < 0 || k >= len(out) {
				return nil, inputError{where(i, c) + `: field "never_indexed": bad index`}
			}
			out[k].Sensitive = true
		}
	}
	return out, nil
}

// --- the two roles ---------------------------------------------------------------------------

func decodeStory(cases []interface{}) error {
	dec := hpack.NewDecoder(defaultTableSize, nil)
	for i, ci := range cases {
		c := ci.(map[string]interface{})
		wire, err := wireOf(i, c)
		if err != nil {
			return err
		}
		size, has, err := tableSizeOf(i, c)
		if err != nil {
			return err
		}
		if has {
			// Our SETTINGS_HEADER_TABLE_SIZE: the most the encoder may set (Go's http2 server
			// does the same; the library has no notion of a required size update).
			dec.SetAllowedMaxDynamicTableSize(size)
		}
		fields, err := dec.DecodeFull(wire)
		if err != nil {
			return blockError{fmt.Sprintf("%s: %v", where(i, c), err), seqnoOf(i, c)}
		}
		never := []int{}
		for k, f := range fields {
			if f.Sensitive {
				never = append(never, k)
			}
		}
		c["headers"] = fields
		c["never_indexed"] = never
		delete(c, "error")
	}
	return nil
}

func encodeStory(cases []interface{}, tableSize uint32) error {
	var buf bytes.Buffer
	enc := hpack.NewEncoder(&buf)
	if tableSize != defaultTableSize {
		enc.SetMaxDynamicTableSizeLimit(tableSize)
		enc.SetMaxDynamicTableSize(tableSize)
	}
	for i, ci := range cases {
		c := ci.(map[string]interface{})
		if i == 0 && c["header_table_size"] == nil && tableSize != defaultTableSize {
			c["header_table_size"] = json.Number(strconv.FormatUint(uint64(tableSize), 10))
		}
		size, has, err := tableSizeOf(i, c)
		if err != nil {
			return err
		}
		fields, err := headersOf(i, c)
		if err != nil {
			return err
		}
		if has {
			// As Go's http2 server does on SETTINGS_HEADER_TABLE_SIZE; the table stays within
			// SetMaxDynamicTableSizeLimit (4096 unless --table-size).
			enc.SetMaxDynamicTableSize(size)
		}
		buf.Reset()
		for _, f := range fields {
			if err := enc.WriteField(f); err != nil {
				return blockError{fmt.Sprintf("%s: %v", where(i, c), err), seqnoOf(i, c)}
			}
		}
		c["wire"] = hex.EncodeToString(buf.Bytes())
	}
	return nil
}

// run handles one story; returns the exit status and what goes to stdout.
func run(role string, tableSize uint32, text string) (int, string) {
	d := json.NewDecoder(strings.NewReader(toInternal(text)))
	d.UseNumber()
	var tree interface{}
	if err := d.Decode(&tree); err != nil {
		fmt.Fprintf(os.Stderr, "go_hpack_adapter: <stdin>: invalid JSON: %v\n", err)
		return 2, ""
	}
	story, ok := convert(tree).(map[string]interface{})
	var cases []interface{}
	if ok {
		cases, ok = story["cases"].([]interface{})
	}
	if !ok {
		fmt.Fprintln(os.Stderr, `go_hpack_adapter: <stdin>: expected a JSON object with a "cases" array`)
		return 2, ""
	}
	for i, c := range cases {
		if _, ok := c.(map[string]interface{}); !ok {
			fmt.Fprintf(os.Stderr, "go_hpack_adapter: <stdin>: case %d: expected an object\n", i)
			return 2, ""
		}
	}
	var err error
	if role == "decode" {
		err = decodeStory(cases)
	} else {
		err = encodeStory(cases, tableSize)
	}
	var out bytes.Buffer
	var be blockError
	var ie inputError
	switch {
	case errors.As(err, &be):
		fmt.Fprintf(os.Stderr, "go_hpack_adapter: %s\n", be.msg)
		writeJSON(&out, map[string]interface{}{"error": be.msg, "seqno": be.seqno})
		out.WriteByte('\n')
		return 1, out.String()
	case errors.As(err, &ie):
		fmt.Fprintf(os.Stderr, "go_hpack_adapter: %s\n", ie.msg)
		return 2, ""
	}
	writeJSON(&out, story)
	out.WriteByte('\n')
	return 0, out.String()
}

func isHello(line string) bool {
	if !strings.Contains(line, "h2harness_batch") {
		return false
	}
	var m map[string]interface{}
	if json.Unmarshal([]byte(line), &m) != nil {
		return false
	}
	_, hello := m["h2harness_batch"]
	_, story := m["cases"]
	return hello && !story
}

func main() {
	role := ""
	tableSize := uint32(defaultTableSize)
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-h" || a == "--help":
			fmt.Print(usage)
			return
		case a == "decode" || a == "encode":
			if role != "" {
				fmt.Fprint(os.Stderr, "go_hpack_adapter: the role is given twice\n"+usage)
				os.Exit(2)
			}
			role = a
		case a == "--table-size" || strings.HasPrefix(a, "--table-size="):
			v := strings.TrimPrefix(a, "--table-size=")
			if a == "--table-size" {
				if i+1 >= len(args) {
					fmt.Fprint(os.Stderr, "go_hpack_adapter: --table-size needs a value\n"+usage)
					os.Exit(2)
				}
				i++
				v = args[i]
			}
			n, err := strconv.ParseUint(v, 10, 32)
			if err != nil {
				fmt.Fprint(os.Stderr, "go_hpack_adapter: --table-size: expected an integer in 0..4294967295\n"+usage)
				os.Exit(2)
			}
			tableSize = uint32(n)
		default:
			fmt.Fprintf(os.Stderr, "go_hpack_adapter: unexpected argument %q\n%s", a, usage)
			os.Exit(2)
		}
	}
	if role == "" {
		fmt.Fprint(os.Stderr, "go_hpack_adapter: say decode or encode\n"+usage)
		os.Exit(2)
	}
	if role == "decode" && tableSize != defaultTableSize {
		fmt.Fprint(os.Stderr, "go_hpack_adapter: --table-size is for the encode role\n"+usage)
		os.Exit(2)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	first, err := in.ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintf(os.Stderr, "go_hpack_adapter: reading stdin: %v\n", err)
		os.Exit(2)
	}
	if isHello(first) {
		out.WriteString("{\"h2harness_batch\": 1, \"never_indexed\": true}\n")
		out.Flush()
		for {
			line, err := in.ReadString('\n')
			if strings.TrimSpace(line) != "" {
				status, text := run(role, tableSize, line)
				if status == 2 {
					out.Flush()
					os.Exit(2)
				}
				out.WriteString(text)
				out.Flush()
			}
			if err != nil {
				return
			}
		}
	}
	rest, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintf(os.Stderr, "go_hpack_adapter: reading stdin: %v\n", err)
		os.Exit(2)
	}
	status, text := run(role, tableSize, first+string(rest))
	out.WriteString(text)
	out.Flush()
	os.Exit(status)
}
