namespace WsGame.Api.WebSockets.Protocol;

/// <summary>The frame opcodes RFC 6455 section 5.2 defines; 0x3-0x7 and 0xB-0xF are reserved.</summary>
public enum Opcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

public static class OpcodeRules
{
    /// <summary>RFC 6455 section 5.5: control frames are identified by opcodes where the most significant bit of the opcode is 1.</summary>
    public static bool IsControl(this Opcode opcode) => ((byte)opcode & 0x8) != 0;

    /// <summary>True for the six opcodes RFC 6455 defines; the others are reserved for further frames.</summary>
    public static bool IsDefined(byte opcode) => opcode is 0x0 or 0x1 or 0x2 or 0x8 or 0x9 or 0xA;
}
