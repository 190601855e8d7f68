using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace WsGame.Api.Hosting;

/// <summary>Gives a body-less error response a one-line text body, for example <c>404 Not Found</c>.</summary>
internal static class PlainStatusPages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync($"{response.StatusCode} {ReasonPhrases.GetReasonPhrase(response.StatusCode)}");
    }
}
