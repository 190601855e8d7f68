using Microsoft.Extensions.Options;
using WsGame.Api.Hosting;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>The shutdown's close code must be one a close frame may carry (RFC 6455 7.4): not 1005, 1006 or 1015.</summary>
internal sealed class ShutdownCloseCodeValidator : IValidateOptions<TransportOptions>
{
    public ValidateOptionsResult Validate(string? name, TransportOptions options) =>
        options.ShutdownCloseCode is not { } code || Protocol.CloseCodeRules.IsValidOnWire(code)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Setting {TransportOptions.SectionName}:{nameof(TransportOptions.ShutdownCloseCode)} = '{options.ShutdownCloseCode}' is invalid: a close frame may not carry it (use 1001, 1012 or a code from 3000 to 4999).");
}
