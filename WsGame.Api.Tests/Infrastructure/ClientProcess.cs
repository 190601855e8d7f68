using System.Diagnostics;
using System.Text;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>Runs an independent client (a Python or Node script) as a child process, killed at its timeout.</summary>
public static class ClientProcess
{
    public sealed record Run(int ExitCode, bool TimedOut, string StandardOutput, string StandardError)
    {
        public override string ToString() =>
            $"exit code {ExitCode}{(TimedOut ? " (killed: timed out)" : "")}\n" +
            $"--- stdout ---\n{StandardOutput}--- stderr ---\n{StandardError}";
    }

    public static async Task<Run> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => AppendLine(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => AppendLine(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        return new Run(process.ExitCode, timedOut, Snapshot(stdout), Snapshot(stderr));
    }

    private static void AppendLine(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
