using System.IO.Pipelines;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>Which way a connection's bytes go after the upgrade.</summary>
public enum TransportPath
{
    /// <summary>Kestrel's own transport pipe of the connection: no second pipe, no stream in between.</summary>
    TransportPipe,

    /// <summary>The upgrade stream, wrapped in pipes of our own: where the transport pipe is missing, or turned off.</summary>
    UpgradeStream,
}

/// <summary>
/// The two pipes a connection reads and writes after the upgrade, and whether they are ours to complete. The
/// transport pipe belongs to Kestrel, which completes it when the request ends; the pipes over an upgrade
/// stream are ours.
/// </summary>
internal sealed class ConnectionTransport
{
    private ConnectionTransport(PipeReader input, PipeWriter output, TransportPath path)
    {
        Input = input;
        Output = output;
        Path = path;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public TransportPath Path { get; }

    public static ConnectionTransport OverPipe(IDuplexPipe pipe) => new(pipe.Input, pipe.Output, TransportPath.TransportPipe);

    public static ConnectionTransport OverStream(Stream stream) => new(
        // Zero-byte reads: an idle connection holds no read buffer until bytes arrive.
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true)),
        PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true)),
        TransportPath.UpgradeStream);

    /// <summary>Completes the pipes that are ours (after the final write); Kestrel completes its own.</summary>
    public async ValueTask CompleteAsync()
    {
        if (Path == TransportPath.UpgradeStream)
        {
            await Input.CompleteAsync();
            await Output.CompleteAsync();
        }
    }
}
