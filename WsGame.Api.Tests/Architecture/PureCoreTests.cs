using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Architecture;

/// <summary>
/// The protocol core, the handshake decision and the game rules are pure code over buffers and
/// state: no sockets, pipes, ASP.NET types or clocks, so they can be tested byte by byte.
/// </summary>
public sealed class PureCoreTests
{
    private static readonly string[] Forbidden =
    [
        "Microsoft.AspNetCore", "HttpContext", "System.Net.Sockets", "System.IO.Pipelines",
        "DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now", "DateTimeOffset.UtcNow",
        "TimeProvider", "Stopwatch", "Environment.TickCount", "Task.Delay",
    ];

    [Theory]
    [InlineData("WebSockets/Protocol")]
    [InlineData("WebSockets/Handshake")]
    [InlineData("Game")]
    [InlineData("Game/Results")]
    [InlineData("Game/Rooms")]
    public void A_pure_folder_references_no_io_framework_or_clock(string folder)
    {
        // Only the folder's own files: Game/Session and Game/Wire are the adapters around the rules.
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.ApiProject, folder), "*.cs", SearchOption.TopDirectoryOnly);
        Assert.NotEmpty(files);

        var offences = files
            .SelectMany(file => File.ReadAllLines(file).Select((line, index) => (file, line, index)))
            .Where(entry => !entry.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(entry => Forbidden.Where(entry.line.Contains).Select(word => $"{Path.GetFileName(entry.file)}:{entry.index + 1} uses {word}"))
            .ToList();

        Assert.Empty(offences);
    }
}
