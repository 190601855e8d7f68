using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Game.Wire;

/// <summary>
/// Writes one JSON message and frames it as a shareable <see cref="OutboundMessage"/>. The buffer
/// and the JSON writer are reused per thread, so building a message allocates only the pooled frame.
/// </summary>
public sealed class JsonFrameBuilder : IDisposable
{
    [ThreadStatic]
    private static JsonFrameBuilder? _cached;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Names and chat are shown as text by the page, never parsed as HTML; keep them readable
        // on the wire (no \u escapes for accents) while JSON stays valid.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private bool _inUse;

    private JsonFrameBuilder() => _writer = new Utf8JsonWriter(_buffer, WriterOptions);

    /// <summary>The writer to fill; call <see cref="ToFrame"/> when the message is complete.</summary>
    public Utf8JsonWriter Writer => _writer;

    /// <summary>A builder for this thread, reset and ready. Dispose it (or call <see cref="ToFrame"/>) when done.</summary>
    public static JsonFrameBuilder Start()
    {
        var builder = _cached is { _inUse: false } cached ? cached : (_cached = new JsonFrameBuilder());
        builder._inUse = true;
        builder._buffer.ResetWrittenCount();
        builder._writer.Reset(builder._buffer);
        return builder;
    }

    /// <summary>The message as one text frame, owned by the caller (who must release it).</summary>
    public OutboundMessage ToFrame()
    {
        _writer.Flush();
        var frame = OutboundMessage.Create(Opcode.Text, _buffer.WrittenSpan);
        Dispose();
        return frame;
    }

    /// <summary>The message (a JSON object) as the shared body of a sequenced message; see <see cref="SequencedFrames"/>.</summary>
    public OutboundMessage ToSequencedBody()
    {
        _writer.Flush();
        var frame = SequencedFrames.CreateBody(_buffer.WrittenSpan);
        Dispose();
        return frame;
    }

    public void Dispose() => _inUse = false;
}
