using System.Collections;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>
/// The request context Kestrel's HTTP layer puts on a request's log lines (RequestId, RequestPath), given to the
/// opened line of a handshake that <see cref="UpgradeFastPath"/> took over, so that line reads as it always did.
/// Only that line: a scope held for the socket's life would be held by every idle connection.
/// </summary>
internal sealed class HandshakeLogScope(string requestId, string requestPath) : IReadOnlyList<KeyValuePair<string, object>>
{
    /// <summary>The id Kestrel gives a connection's first request: the connection id and the request's number.</summary>
    public static string FirstRequestId(string connectionId) => connectionId + ":00000001";

    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("RequestId", requestId),
        1 => new("RequestPath", requestPath),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestPath:{requestPath} RequestId:{requestId}";
}
