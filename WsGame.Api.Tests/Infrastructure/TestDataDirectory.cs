namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// A fresh folder for one test server's SQLite file, so servers running side by side never share records;
/// removed when the test is done with it.
/// </summary>
public sealed class TestDataDirectory : IDisposable
{
    public const string Setting = "WsGame:Storage:DataDirectory";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wsgame-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server that has not let go of the file yet: the temp folder is cleaned up with the machine.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
