using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WsGame.Api.Hosting;

/// <summary>
/// Validates an options class by its data annotations and reports each failure with the full
/// configuration key (for example <c>WsGame:WebSockets:MaxMessageBytes</c>) and the value it had,
/// so the operator knows which setting to fix.
/// </summary>
internal sealed class AnnotatedOptionsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        var failures = results.SelectMany(result => result.MemberNames.DefaultIfEmpty("?").Select(member =>
        {
            var value = typeof(TOptions).GetProperty(member)?.GetValue(options);
            return $"Setting {sectionName}:{member} = '{value}' is invalid: {result.ErrorMessage}";
        }));
        return ValidateOptionsResult.Fail(failures);
    }
}
