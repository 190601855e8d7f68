using System.Text.Unicode;

namespace WsGame.Api.WebSockets.Protocol;

/// <summary>
/// Incremental validator for the payload of a text message, which RFC 6455 section 8.1 requires
/// to be UTF-8 as defined by RFC 3629 ("When an endpoint is to interpret a byte stream as UTF-8
/// but finds that the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST
/// _Fail the WebSocket Connection_"). The message may arrive in any number of frames and reads,
/// split at any byte, including inside a code point.
/// </summary>
/// <remarks>
/// <para>
/// It fails fast: <see cref="TryAppend"/> returns false as soon as the bytes seen so far cannot be
/// the beginning of any valid UTF-8 text, which lets the connection be failed before the rest of
/// a long message is read (the Autobahn TestSuite's "fail fast on invalid UTF-8" cases, 6.4.x).
/// </para>
/// <para>
/// How: the bytes that finish a code point left open by the previous call, and the bytes of a
/// code point left open at the end of this call, go through a small DFA (at most 3 bytes each).
/// Everything in between starts and ends on a code point boundary, so it is checked in one
/// vectorized pass by <see cref="Utf8.IsValid(ReadOnlySpan{byte})"/>, which has its own ASCII
/// fast path and accepts exactly the well-formed UTF-8 of RFC 3629 (no overlongs, no surrogates,
/// nothing above U+10FFFF). The whole state is one byte; nothing is allocated.
/// </para>
/// <para>
/// <c>default(Utf8Validator)</c> is ready to use. It is a mutable struct: keep it in a field and
/// call it through that field (not through a copy, e.g. a <c>readonly</c> field or a
/// <c>foreach</c> variable), or the state will be lost.
/// </para>
/// </remarks>
public struct Utf8Validator
{
    // DFA states. Each value is the state's row offset in Transitions (row index * ClassCount),
    // so one step is a single table look-up. Accept is 0 so that default(Utf8Validator) is the
    // initial state.
    private const int ClassCount = 12;
    private const byte Accept = 0 * ClassCount;        // at a code point boundary
    private const byte Reject = 1 * ClassCount;        // invalid; sticky
    private const byte Need1 = 2 * ClassCount;         // 1 more byte, %x80-BF
    private const byte Need2 = 3 * ClassCount;         // 2 more, next %x80-BF (after E1-EC, EE-EF, or F0-F4 + 1 byte)
    private const byte Need2AfterE0 = 4 * ClassCount;  // 2 more, next %xA0-BF
    private const byte Need2AfterED = 5 * ClassCount;  // 2 more, next %x80-9F
    private const byte Need3 = 6 * ClassCount;         // 3 more, next %x80-BF (after F1-F3)
    private const byte Need3AfterF0 = 7 * ClassCount;  // 3 more, next %x90-BF
    private const byte Need3AfterF4 = 8 * ClassCount;  // 3 more, next %x80-8F

    private byte _state;

    /// <summary>
    /// Feeds the next bytes of the message. Returns false as soon as the bytes seen so far can no
    /// longer be the prefix of valid UTF-8 (for example 0xC0, 0xF5..0xFF, the overlong 0xE0 0x80,
    /// the surrogate 0xED 0xA0, 0xF4 0x90 above U+10FFFF, an unexpected continuation byte, or a
    /// lead byte where a continuation byte is expected). Once it returned false the validator
    /// stays failed until <see cref="Reset"/>.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> bytes)
    {
        int state = _state;
        if (state != Accept)
        {
            if (state == Reject)
            {
                return false;
            }

            // The previous call ended inside a code point: finish it byte by byte (at most 3 bytes).
            int consumed = 0;
            while (consumed < bytes.Length)
            {
                state = Step(state, bytes[consumed++]);
                if (state == Accept)
                {
                    break;
                }

                if (state == Reject)
                {
                    _state = Reject;
                    return false;
                }
            }

            if (state != Accept)
            {
                // Still inside the same code point: this call's bytes were all valid continuations.
                _state = (byte)state;
                return true;
            }

            bytes = bytes.Slice(consumed);
        }

        // Here we are at a code point boundary. Split off a code point that this call's bytes
        // leave unfinished: Utf8.IsValid would (rightly, for a whole text) reject it as truncated.
        int body = EndOfLastCompleteCodePoint(bytes);
        if (!Utf8.IsValid(bytes.Slice(0, body)))
        {
            _state = Reject;
            return false;
        }

        state = Accept;
        foreach (byte b in bytes.Slice(body))
        {
            state = Step(state, b);
        }

        // Reject is absorbing, so the loop above need not stop at it.
        _state = (byte)state;
        return state != Reject;
    }

    /// <summary>
    /// True when the bytes so far end on a complete code point, i.e. they are valid UTF-8 as a
    /// whole. Check this when the final frame of the message has been fed: a message that ends
    /// inside a code point is invalid (RFC 6455 section 8.1). False after a failure.
    /// </summary>
    public readonly bool IsComplete => _state == Accept;

    /// <summary>Back to the initial state, for the next message.</summary>
    public void Reset() => _state = Accept;

    private static int Step(int state, byte value) => Transitions[state + ByteClasses[value]];

    /// <summary>
    /// The length of the longest prefix of <paramref name="bytes"/> that does not end inside a
    /// multi-byte sequence whose lead byte is among the last 3 bytes. An unfinished sequence is at
    /// most 3 bytes long (a 4-byte lead and two continuations), so looking further back is useless.
    /// Malformed input is not judged here: whatever is left in the prefix is rejected by
    /// Utf8.IsValid, and whatever is split off is rejected by the DFA.
    /// </summary>
    private static int EndOfLastCompleteCodePoint(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.Length;
        int stop = Math.Max(0, end - 3);
        for (int i = end - 1; i >= stop; i--)
        {
            byte b = bytes[i];
            if ((b & 0xC0) == 0x80)
            {
                continue; // 10xxxxxx: a continuation byte, keep looking for its lead
            }

            // RFC 3629 section 3: the lead byte's high bits give the sequence length
            // (0xxxxxxx 1, 110xxxxx 2, 1110xxxx 3, 11110xxx 4). Bytes 0xF8..0xFF are never valid;
            // counting them as 4 just sends them to the DFA, which rejects them.
            int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
            return end - i < length ? i : end;
        }

        return end;
    }

    // Byte classes. Within a class, every byte is treated the same in every state. The ranges are
    // those of the UTF8-octets grammar in RFC 3629 section 4:
    //   UTF8-1 = %x00-7F
    //   UTF8-2 = %xC2-DF UTF8-tail
    //   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
    //            %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
    //   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
    //            %xF4 %x80-8F 2( UTF8-tail )
    //   UTF8-tail = %x80-BF
    // so a continuation byte must be told apart by the sub-ranges 80-8F, 90-9F, A0-BF, and the
    // lead bytes E0, ED, F0, F4 (which restrict their second byte) from the other leads.
    // 0xC0, 0xC1 (only overlong 2-byte forms) and 0xF5..0xFF (beyond U+10FFFF, or the old 5- and
    // 6-byte forms) never appear in UTF-8: "The octet values C0, C1, F5 to FF never appear."
    private const byte Ascii = 0;      // 00-7F
    private const byte Cont80 = 1;     // 80-8F
    private const byte Cont90 = 2;     // 90-9F
    private const byte ContA0 = 3;     // A0-BF
    private const byte Never = 4;      // C0-C1, F5-FF
    private const byte Lead2 = 5;      // C2-DF
    private const byte LeadE0 = 6;     // E0: second byte A0-BF (below is overlong)
    private const byte Lead3 = 7;      // E1-EC, EE-EF
    private const byte LeadED = 8;     // ED: second byte 80-9F (above encodes surrogates D800-DFFF)
    private const byte LeadF0 = 9;     // F0: second byte 90-BF (below is overlong)
    private const byte Lead4 = 10;     // F1-F3
    private const byte LeadF4 = 11;    // F4: second byte 80-8F (above is beyond U+10FFFF)

    private static ReadOnlySpan<byte> ByteClasses =>
    [
        // 00-7F
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii, Ascii,
        // 80-8F
        Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80, Cont80,
        // 90-9F
        Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90, Cont90,
        // A0-BF
        ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0,
        ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0, ContA0,
        // C0-DF
        Never, Never, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2,
        Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2, Lead2,
        // E0-EF
        LeadE0, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, Lead3, LeadED, Lead3, Lead3,
        // F0-FF
        LeadF0, Lead4, Lead4, Lead4, LeadF4, Never, Never, Never, Never, Never, Never, Never, Never, Never, Never, Never,
    ];

    // Transitions[state + class] is the next state. Columns in class order:
    //   Ascii, Cont80, Cont90, ContA0, Never, Lead2, LeadE0, Lead3, LeadED, LeadF0, Lead4, LeadF4
    private static ReadOnlySpan<byte> Transitions =>
    [
        // Accept: a lead byte opens a sequence; a continuation byte here is unexpected.
        Accept, Reject, Reject, Reject, Reject, Need1, Need2AfterE0, Need2, Need2AfterED, Need3AfterF0, Need3, Need3AfterF4,
        // Reject
        Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need1: any UTF8-tail finishes the code point; anything else (ASCII or a lead) is a truncated sequence.
        Reject, Accept, Accept, Accept, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need2
        Reject, Need1, Need1, Need1, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need2AfterE0: E0 80-9F would encode U+0000..U+07FF in 3 bytes (overlong).
        Reject, Reject, Reject, Need1, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need2AfterED: ED A0-BF would encode the surrogates U+D800..U+DFFF, which RFC 3629 excludes.
        Reject, Need1, Need1, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need3
        Reject, Need2, Need2, Need2, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need3AfterF0: F0 80-8F would encode U+0000..U+FFFF in 4 bytes (overlong).
        Reject, Reject, Need2, Need2, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
        // Need3AfterF4: F4 90-BF would be above U+10FFFF, the end of the Unicode code space.
        Reject, Need2, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject, Reject,
    ];
}
