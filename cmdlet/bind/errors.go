package bind

import (
	"fmt"
	"strings"

	"github.com/certledger/certledger/cmdlet/syntax"
)

// PowerShell's error ids (the head of the FullyQualifiedErrorId).
const (
	NamedParameterNotFound                                = "NamedParameterNotFound"
	AmbiguousParameter                                    = "AmbiguousParameter"
	MissingArgument                                       = "MissingArgument"
	PositionalParameterNotFound                           = "PositionalParameterNotFound"
	ParameterAlreadyBound                                 = "ParameterAlreadyBound"
	AmbiguousParameterSet                                 = "AmbiguousParameterSet"
	MissingMandatoryParameter                             = "MissingMandatoryParameter"
	CannotConvertArgument                                 = "CannotConvertArgument"
	CannotConvertArgumentNoMessage                        = "CannotConvertArgumentNoMessage"
	InputObjectNotBound                                   = "InputObjectNotBound"
	InputObjectMissingMandatory                           = "InputObjectMissingMandatory"
	ParameterArgumentValidationErrorNullNotAllowed        = "ParameterArgumentValidationErrorNullNotAllowed"
	ParameterArgumentValidationErrorEmptyStringNotAllowed = "ParameterArgumentValidationErrorEmptyStringNotAllowed"
)

// certledger's own ids, for checks the cmdlets make at run time (or that
// only an auditor cares about). docs/binding.md describes each.
const (
	RollWithoutEffectiveDate = "certledger.RollWithoutEffectiveDate"
	FriendlyNameTooLong      = "certledger.FriendlyNameTooLong"
	ThumbprintNormalized     = "certledger.ThumbprintNormalized"
	ThumbprintNotHex         = "certledger.ThumbprintNotHex"
	ThumbprintLength         = "certledger.ThumbprintLength"
	TypeNotSpecified         = "certledger.TypeNotSpecified"
	SecureStringAsText       = "certledger.SecureStringAsText"
	UnknownCulture           = "certledger.UnknownCulture"
	UnknownProfile           = "certledger.UnknownProfile"
)

const (
	categoryInvalidArgument    = "InvalidArgument"
	reasonParameterBinding     = "ParameterBindingException"
	reasonCertledgerCheck      = "CertledgerCheck"
	categoryLabel              = "    + CategoryInfo          : "
	fullyQualifiedErrorIDLabel = "    + FullyQualifiedErrorId : "
)

// The English texts of ParameterBinderStrings.resx, byte for byte
// (reference §4.5).
const (
	msgNamedParameterNotFound      = "A parameter cannot be found that matches parameter name '%s'."
	msgAmbiguousParameter          = "Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include:%s."
	msgMissingArgument             = "Missing an argument for parameter '%s'. Specify a parameter of type '%s' and try again."
	msgPositionalParameterNotFound = "A positional parameter cannot be found that accepts argument '%s'."
	msgMissingMandatoryParameter   = "Cannot process command because of one or more missing mandatory parameters:%s."
	msgAmbiguousParameterSet       = "Parameter set cannot be resolved using the specified named parameters."
	msgParameterAlreadyBound       = "Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\"."
	msgCannotConvertArgumentNoMsg  = "Cannot bind parameter '%s'. %s"
	msgCannotConvertArgument       = "Cannot convert '%s' to the type '%s' required by parameter '%s'. %s"
	msgInputObjectNotBound         = "The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input."
	msgInputObjectMissingMandatory = "The input object cannot be bound because it did not contain the information required to bind all mandatory parameters: %s"
	msgNullNotAllowed              = "Cannot bind argument to parameter '%s' because it is null."
	msgEmptyStringNotAllowed       = "Cannot bind argument to parameter '%s' because it is an empty string."

	// Inner messages (ExtendedTypeSystem.resx, EnumExpressionEvaluatorStrings.resx).
	msgInvalidCastWithInner = "Cannot convert value \"%s\" to type \"%s\". Error: \"%s\""
	msgInvalidCast          = "Cannot convert the \"%s\" value of type \"%s\" to type \"%s\"."
	msgNoEnumNameMatch      = "Unable to match the identifier name %s to a valid enumerator name. Specify one of the following enumerator names and try again:\n%s"
	msgMultipleEnumMatch    = "The identifier name %s cannot be processed because it is either too similar or identical to the following enumerator names: %s. Use a more specific identifier name."
	msgEnumNoValue          = "Cannot convert value \"%s\" to type \"%s\" due to enumeration values that are not valid. Specify one of the following enumeration values and try again. The possible enumeration values are \"%s\"."
	msgMethodNotSupported   = "Specified method is not supported."
	msgBadDateTime          = "String was not recognized as a valid DateTime."
	msgBadNumber            = "Input string was not in a correct format."
)

func newError(c *Cmdlet, id string, ext syntax.Extent, format string, args ...any) *Error {
	return &Error{
		ID:       id,
		Message:  fmt.Sprintf(format, args...),
		Command:  c.Name,
		Extent:   ext,
		Category: categoryInvalidArgument,
		Reason:   reasonParameterBinding,
		Class:    c.suffix(),
	}
}

// checkError is an error or warning of certledger's own.
func checkError(c *Cmdlet, id string, ext syntax.Extent, format string, args ...any) *Error {
	e := newError(c, id, ext, format, args...)
	e.Reason = reasonCertledgerCheck
	return e
}

// suffix is the FullyQualifiedErrorId's tail: the cmdlet's .NET class
// where it is known (Exchange 2013's decompiled names), else the cmdlet's
// name, as a proxy function would give (the Lync classes are not public).
func (c *Cmdlet) suffix() string {
	if c.Class != "" {
		return c.Class
	}
	return c.Name
}

// FullyQualifiedErrorID returns "<ID>,<suffix>", as PowerShell prints it.
func (e *Error) FullyQualifiedErrorID() string {
	if e.Class == "" {
		return e.ID
	}
	return e.ID + "," + e.Class
}

// Format renders the error record as Windows PowerShell 5.1's NormalView
// prints it; fileName is the script path ("" for interactive input) and
// src the script text the extent points into.
//
//	Set-CsCertificate : A parameter cannot be found that matches parameter name 'Foo'.
//	At line:1 char:19
//	+ Set-CsCertificate -Foo bar
//	+                   ~~~~
//	    + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], ParameterBindingException
//	    + FullyQualifiedErrorId : NamedParameterNotFound,Set-CsCertificate
func (e *Error) Format(fileName string, src []byte) string {
	var b strings.Builder
	b.WriteString(e.Command)
	b.WriteString(" : ")
	b.WriteString(e.Message)
	b.WriteByte('\n')
	b.WriteString(syntax.PositionMessage(fileName, src, e.Extent))
	b.WriteByte('\n')
	b.WriteString(categoryLabel)
	category, reason := e.Category, e.Reason
	if category == "" {
		category = categoryInvalidArgument
	}
	if reason == "" {
		reason = reasonParameterBinding
	}
	fmt.Fprintf(&b, "%s: (:) [%s], %s\n", category, e.Command, reason)
	b.WriteString(fullyQualifiedErrorIDLabel)
	b.WriteString(e.FullyQualifiedErrorID())
	return b.String()
}
