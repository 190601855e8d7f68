namespace WsGame.Api.WebSockets.Protocol;

/// <summary>The type of a whole (reassembled) data message.</summary>
public enum MessageType : byte
{
    Text = Opcode.Text,
    Binary = Opcode.Binary,
}
