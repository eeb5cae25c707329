package org

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer. Transports map them to their own
// vocabulary in one place.
const (
	ENOTFOUND    = "not_found"
	EINVALID     = "invalid"
	ECONFLICT    = "conflict"
	EUNAVAILABLE = "unavailable"
	EFORBIDDEN   = "forbidden"
	EINTERNAL    = "internal"
)

// Error is a domain error with a code and a message fit for the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("orgraph: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: "" for nil, EINTERNAL for an error that
// is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err fit for the user: an unknown
// error's text stays hidden.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}

// ErrorCodeOr is ErrorCode, with def for errors that are not an *Error.
func ErrorCodeOr(err error, def string) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return def
}

// ErrorMessageOr is the message of an *Error, or err's own text otherwise:
// for errors whose text is meant for the user, such as a parser's.
func ErrorMessageOr(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
