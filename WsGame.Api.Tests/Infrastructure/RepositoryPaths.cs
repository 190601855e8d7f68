namespace WsGame.Api.Tests.Infrastructure;

/// <summary>Finds files of the repository (the folder holding WsGame.sln) from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ApiProject => Path.Combine(Root, "WsGame.Api");

    /// <summary>The server assembly as built next to the tests.</summary>
    public static string ApiAssembly => Path.Combine(AppContext.BaseDirectory, "WsGame.Api.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WsGame.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("WsGame.sln not found above " + AppContext.BaseDirectory);
    }
}
