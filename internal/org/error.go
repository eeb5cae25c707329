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

// Error is a domain error with a code and a message fit for the user. Err,
// when set, is its cause: kept for the logs (Error and Unwrap show it),
// never shown to the user, as upspin's errors keep theirs.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("orgraph: %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("orgraph: %s: %s", e.Code, e.Message)
}

// Unwrap returns the cause, so that errors.Is and errors.As see it.
func (e *Error) Unwrap() error { return e.Err }

// Wrap returns an *Error with the given code and message that keeps err
// as its cause.
func Wrap(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

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
