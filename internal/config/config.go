// Package config loads the exporters' strict YAML files: unknown fields are errors,
// every error names the file and line, and secrets are only read from files or env.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FieldError is a validation error at a path such as targets[2].url.
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// Errorf builds a FieldError.
func Errorf(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Validator is implemented by each exporter's config type. dir is the config file's
// directory, against which relative *_file paths are resolved.
type Validator interface {
	Validate(dir string) error
}

// Load reads path strictly into a new C and validates it.
func Load[C any, PC interface {
	*C
	Validator
}](path string) (*C, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return Parse[C, PC](path, raw)
}

// Parse is Load on bytes already read; path is used in error messages.
func Parse[C any, PC interface {
	*C
	Validator
}](path string, raw []byte) (*C, error) {
	c := new(C)
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	dir, _ := filepath.Abs(filepath.Dir(path))
	if err := PC(c).Validate(dir); err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			if line := lineOf(raw, fe.Path); line > 0 {
				return nil, fmt.Errorf("%s:%d: %s", path, line, fe.Error())
			}
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

var (
	lineRe   = regexp.MustCompile(`^line (\d+): (.*)$`)
	inTypeRe = regexp.MustCompile(` in type [\w.\[\]*]+`)
)

// yamlError turns yaml.v3's errors into "file:line: message" lines.
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		m = inTypeRe.ReplaceAllString(m, "")
		if g := lineRe.FindStringSubmatch(m); g != nil {
			out = append(out, fmt.Sprintf("%s:%s: %s", path, g[1], g[2]))
		} else {
			out = append(out, path+": "+m)
		}
	}
	return errors.New(strings.Join(out, "; "))
}

var segRe = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// lineOf finds the line of a path like targets[2].url in the YAML source, or of the
// deepest part of it that exists.
func lineOf(raw []byte, path string) int {
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || len(doc.Content) == 0 {
		return 0
	}
	n := doc.Content[0]
	line := n.Line
	for _, m := range segRe.FindAllStringSubmatch(path, -1) {
		var next *yaml.Node
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			if n.Kind == yaml.SequenceNode && i < len(n.Content) {
				next = n.Content[i]
			}
		} else if n.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(n.Content); k += 2 {
				if n.Content[k].Value == m[1] {
					line = n.Content[k].Line
					next = n.Content[k+1]
					break
				}
			}
		}
		if next == nil {
			break
		}
		n = next
		line = n.Line
	}
	return line
}

// ResolvePath makes p absolute against dir (the config file's directory).
func ResolvePath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// ReadSecret returns the secret from a file (trailing newline trimmed) or, when file is
// empty, from the named environment variable. Errors name the file or variable, never the value.
// The file is re-read on every call so a rotated secret is picked up at the next scrape.
func ReadSecret(file, env string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("reading secret file %q: %w", file, unwrapPathErr(err))
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if env != "" {
		v, ok := os.LookupEnv(env)
		if !ok {
			return "", fmt.Errorf("environment variable %s is not set", env)
		}
		return v, nil
	}
	return "", nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
