using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace WsGame.Api.Api;

/// <summary>Marks operations guarded by the operator key with the <c>X-Api-Key</c> security requirement.</summary>
internal sealed class ApiKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKeyMetadata>().Any())
        {
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiSetup.ApiKeySchemeName, context.Document)] = [],
        });
    }
}
