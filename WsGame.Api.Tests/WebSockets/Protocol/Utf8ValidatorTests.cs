using System.Text;
using System.Text.Unicode;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Protocol;

/// <summary>
/// The incremental UTF-8 check of text messages (RFC 6455 section 8.1, RFC 3629): the verdict must
/// not depend on where the message is split, and an invalid message must be refused at the first
/// byte that makes it invalid.
/// </summary>
public sealed class Utf8ValidatorTests
{
    private const int Valid = -1;

    // ----- Autobahn TestSuite section 6 (and the Markus Kuhn test file it is built on) -----

    /// <summary>Valid, complete texts: name, hex.</summary>
    public static TheoryData<string, string> ValidTexts()
    {
        var data = new TheoryData<string, string>
        {
            { "6.1 empty", "" },
            { "6.2 Hello-µ@ßöäüàá-UTF-8!!", Hex("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!") },
            { "6.3 kosme", "cebae1bdb9cf83cebcceb5" },
            { "ascii", Hex("The quick brown fox jumps over the lazy dog 0123456789 {}[]~\t\r\n") },
            { "6.7.1 U+0000", "00" },
            { "6.7.2 U+0080", "c280" },
            { "6.7.3 U+0800", "e0a080" },
            { "6.7.4 U+10000", "f0908080" },
            { "6.9.1 U+007F", "7f" },
            { "6.9.2 U+07FF", "dfbf" },
            { "6.9.3 U+FFFF", "efbfbf" },
            { "6.9.4 U+10FFFF", "f48fbfbf" },
            { "6.11.1 U+D7FF", "ed9fbf" },
            { "6.11.2 U+E000", "ee8080" },
            { "6.11.3 U+FFFD", "efbfbd" },
            { "U+FEFF byte order mark", "efbbbf" },
            { "6.22 noncharacter U+FFFE", "efbfbe" },
            { "6.22 noncharacter U+1FFFE", "f09fbfbe" },
            { "6.22 noncharacter U+10FFFE", "f48fbfbe" },
            { "6.22 noncharacter U+FDD0", "efb790" },
            { "6.22 noncharacter U+FDEF", "efb7af" },
            { "U+F0000 (F3 lead)", "f3b08080" },
            { "U+40000 (F1 lead)", "f1808080" },
            { "U+1000 (E1 lead)", "e18080" },
            { "mixed scripts and emoji", Hex("a\u00e9\u4e2d\U0001F600z\u03ba\u1f79\u03c3\u03bc\u03b5\U0010FFFF") },
        };
        return data;
    }

    /// <summary>Texts that are valid so far but end inside a code point: name, hex.</summary>
    public static TheoryData<string, string> TruncatedTexts() => new()
    {
        { "6.14.6 2-byte lead alone (DF)", "df" },
        { "C2 alone", "c2" },
        { "E0 alone", "e0" },
        { "E0 A0", "e0a0" },
        { "E1 alone", "e1" },
        { "ED alone", "ed" },
        { "ED 9F", "ed9f" },
        { "6.14.7 3-byte missing last (EF BF)", "efbf" },
        { "F0 alone", "f0" },
        { "F0 90", "f090" },
        { "F0 90 80", "f09080" },
        { "F1 80 80", "f18080" },
        { "F4 alone", "f4" },
        { "F4 8F BF", "f48fbf" },
        { "6.6 kosme cut inside a code point", "cebae1bd" },
        { "6.6 kosme cut before its last byte", "cebae1bdb9cf83cebcce" },
    };

    /// <summary>Invalid texts: name, hex, index of the first byte that makes them invalid.</summary>
    public static TheoryData<string, string, int> InvalidTexts()
    {
        var data = new TheoryData<string, string, int>
        {
            // 6.3.2 / 6.4.x: kosme (11 bytes), then a surrogate or a code point above U+10FFFF, then "edited".
            { "6.3.2 kosme + surrogate ED A0 80 + edited", "cebae1bdb9cf83cebcceb5eda080656469746564", 12 },
            { "6.4.1 kosme + F4 90 80 80 + edited", "cebae1bdb9cf83cebcceb5f4908080656469746564", 12 },

            // 6.12: unexpected continuation bytes.
            { "6.12.1 first continuation byte 80", "80", 0 },
            { "6.12.2 last continuation byte BF", "bf", 0 },
            { "6.12.3 2 continuation bytes", "80bf", 0 },
            { "6.12.4 3 continuation bytes", "80bf80", 0 },
            { "6.12.5 4 continuation bytes", "80bf80bf", 0 },
            { "6.12.6 5 continuation bytes", "80bf80bf80", 0 },
            { "6.12.7 6 continuation bytes", "80bf80bf80bf", 0 },
            { "6.12.8 7 continuation bytes", "80bf80bf80bf80", 0 },
            { "continuation byte after ASCII", "6180", 1 },
            { "extra continuation after a 2-byte sequence", "c280bf", 2 },
            { "extra continuation after a 4-byte sequence", "f090808080", 4 },

            // 6.14: sequences with the last continuation byte missing.
            { "6.14.1 2-byte U+0000 missing last (C0)", "c0", 0 },
            { "6.14.2 3-byte U+0000 missing last (E0 80)", "e080", 1 },
            { "6.14.3 4-byte U+0000 missing last (F0 80 80)", "f08080", 1 },
            { "6.14.4 5-byte U+0000 missing last", "f8808080", 0 },
            { "6.14.5 6-byte U+0000 missing last", "fc80808080", 0 },
            { "6.14.8 4-byte U+1FFFFF missing last", "f7bfbf", 0 },
            { "6.14.9 5-byte U+3FFFFFF missing last", "fbbfbfbf", 0 },
            { "6.14.10 6-byte U+7FFFFFFF missing last", "fdbfbfbfbf", 0 },
            { "6.15.1 concatenation of incomplete sequences", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf", 0 },
            { "2-byte lead then 3-byte lead (DF EF BF)", "dfefbf", 1 },

            // Lead byte where a continuation byte is expected.
            { "2-byte lead then ASCII", "c241", 1 },
            { "2-byte lead then lead", "c2c2", 1 },
            { "3-byte sequence cut by ASCII", "e0a041", 2 },
            { "3-byte sequence cut by a lead", "e180c2", 2 },
            { "4-byte sequence cut by ASCII after 3 bytes", "f090807f", 3 },
            { "4-byte sequence cut by a lead after 3 bytes", "f18080e1", 3 },

            // 6.16: impossible bytes.
            { "6.16.1 FE", "fe", 0 },
            { "6.16.2 FF", "ff", 0 },
            { "6.16.3 FE FE FF FF", "fefeffff", 0 },
            { "F5", "f5", 0 },
            { "F5 80 80 80 (would be U+140000)", "f5808080", 0 },

            // 6.17-6.19: overlong encodings.
            { "6.17.1 overlong '/' in 2 bytes", "c0af", 0 },
            { "6.17.2 overlong '/' in 3 bytes", "e080af", 1 },
            { "6.17.3 overlong '/' in 4 bytes", "f08080af", 1 },
            { "6.17.4 overlong '/' in 5 bytes", "f8808080af", 0 },
            { "6.17.5 overlong '/' in 6 bytes", "fc80808080af", 0 },
            { "6.18.1 largest overlong 2-byte (C1 BF)", "c1bf", 0 },
            { "6.18.2 largest overlong 3-byte (E0 9F BF)", "e09fbf", 1 },
            { "6.18.3 largest overlong 4-byte (F0 8F BF BF)", "f08fbfbf", 1 },
            { "6.18.4 largest overlong 5-byte", "f887bfbfbf", 0 },
            { "6.18.5 largest overlong 6-byte", "fc83bfbfbfbf", 0 },
            { "6.19.1 overlong NUL in 2 bytes", "c080", 0 },
            { "6.19.2 overlong NUL in 3 bytes", "e08080", 1 },
            { "6.19.3 overlong NUL in 4 bytes", "f0808080", 1 },
            { "6.19.4 overlong NUL in 5 bytes", "f880808080", 0 },
            { "6.19.5 overlong NUL in 6 bytes", "fc8080808080", 0 },

            // 6.20-6.21: UTF-16 surrogates, single and paired.
            { "6.20.1 U+D800", "eda080", 1 },
            { "6.20.2 U+DB7F", "edadbf", 1 },
            { "6.20.3 U+DB80", "edae80", 1 },
            { "6.20.4 U+DBFF", "edafbf", 1 },
            { "6.20.5 U+DC00", "edb080", 1 },
            { "6.20.6 U+DF80", "edbe80", 1 },
            { "6.20.7 U+DFFF", "edbfbf", 1 },
            { "6.21.1 U+D800 U+DC00", "eda080edb080", 1 },
            { "6.21.2 U+D800 U+DFFF", "eda080edbfbf", 1 },
            { "6.21.3 U+DB7F U+DC00", "edadbfedb080", 1 },
            { "6.21.4 U+DB7F U+DFFF", "edadbfedbfbf", 1 },
            { "6.21.5 U+DB80 U+DC00", "edae80edb080", 1 },
            { "6.21.6 U+DB80 U+DFFF", "edae80edbfbf", 1 },
            { "6.21.7 U+DBFF U+DC00", "edafbfedb080", 1 },
            { "6.21.8 U+DBFF U+DFFF", "edafbfedbfbf", 1 },

            // Above U+10FFFF.
            { "6.11.5 U+110000 (F4 90 80 80)", "f4908080", 1 },
            { "F4 BF BF BF", "f4bfbfbf", 1 },
            { "6.10.1 U+1FFFFF (F7 BF BF BF)", "f7bfbfbf", 0 },
            { "6.10.2 5-byte U+3FFFFFF", "fbbfbfbfbf", 0 },
            { "6.10.3 6-byte U+7FFFFFFF", "fdbfbfbfbfbf", 0 },
            { "6.8.1 first 5-byte sequence", "f888808080", 0 },
            { "6.8.2 first 6-byte sequence", "fc8480808080", 0 },

            // Valid text, then the error later.
            { "ASCII then C0", "48656c6c6fc0", 5 },
            { "valid 4-byte then F4 90", "f09f9880f490", 5 },
        };

        // 6.12.9: all 64 continuation bytes.
        data.Add("6.12.9 all 64 continuation bytes", Convert.ToHexString(Enumerable.Range(0x80, 64).Select(b => (byte)b).ToArray()), 0);

        // 6.13: every lead byte followed by a space. C0, C1 and F5..FF fail at once (they never
        // appear in UTF-8); the others fail at the space, where a continuation byte is required.
        for (int lead = 0xC0; lead <= 0xFF; lead++)
        {
            bool never = lead is 0xC0 or 0xC1 or >= 0xF5;
            data.Add($"6.13 lead {lead:X2} then space", $"{lead:x2}20", never ? 0 : 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidTexts))]
    public void Valid_text_is_accepted_whole_split_anywhere_and_byte_by_byte(string name, string hex)
    {
        _ = name;
        AssertVerdict(Convert.FromHexString(hex), Valid, complete: true);
    }

    [Theory]
    [MemberData(nameof(ValidTexts))]
    public void Valid_text_is_accepted_after_a_long_mixed_prefix_and_before_a_suffix(string name, string hex)
    {
        _ = name;
        AssertVerdict([.. LongValidPrefix, .. Convert.FromHexString(hex), .. LongValidPrefix], Valid, complete: true);
    }

    [Theory]
    [MemberData(nameof(TruncatedTexts))]
    public void Text_ending_inside_a_code_point_is_accepted_so_far_but_not_complete(string name, string hex)
    {
        _ = name;
        AssertVerdict(Convert.FromHexString(hex), Valid, complete: false);
        AssertVerdict([.. LongValidPrefix, .. Convert.FromHexString(hex)], Valid, complete: false);
    }

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public void Invalid_text_fails_at_its_first_bad_byte_however_it_is_split(string name, string hex, int failAt)
    {
        _ = name;
        AssertVerdict(Convert.FromHexString(hex), failAt, complete: false);
    }

    [Theory]
    [MemberData(nameof(InvalidTexts))]
    public void Invalid_text_fails_at_the_same_byte_after_a_long_valid_prefix(string name, string hex, int failAt)
    {
        _ = name;
        byte[] text = [.. LongValidPrefix, .. Convert.FromHexString(hex), .. LongValidPrefix];
        AssertVerdict(text, LongValidPrefix.Length + failAt, complete: false);
    }

    [Fact]
    public void The_invalid_case_table_agrees_with_the_reference()
    {
        foreach (object[] row in InvalidTexts())
        {
            Assert.Equal((int)row[2], ReferenceFailIndex(Convert.FromHexString((string)row[1])));
        }

        foreach (object[] row in ValidTexts())
        {
            Assert.Equal(Valid, ReferenceFailIndex(Convert.FromHexString((string)row[1])));
        }
    }

    // ----- Fail fast, by name -----

    [Fact]
    public void Overlong_three_byte_sequence_fails_at_its_second_byte()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xE0]));
        Assert.False(validator.TryAppend([0x80]));
    }

    [Fact]
    public void Surrogate_fails_at_its_second_byte()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xED]));
        Assert.False(validator.TryAppend([0xA0]));
    }

    [Fact]
    public void Code_point_above_U10FFFF_fails_at_its_second_byte()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xF4]));
        Assert.False(validator.TryAppend([0x90]));
    }

    [Fact]
    public void Overlong_four_byte_sequence_fails_at_its_second_byte()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xF0]));
        Assert.False(validator.TryAppend([0x8F]));
    }

    [Theory]
    [InlineData(0xC0)]
    [InlineData(0xC1)]
    [InlineData(0xF5)]
    [InlineData(0xF8)]
    [InlineData(0xFF)]
    public void Byte_that_never_appears_in_UTF8_fails_immediately(int value)
    {
        var validator = new Utf8Validator();
        Assert.False(validator.TryAppend([(byte)value]));
        Assert.False(validator.IsComplete);
    }

    [Fact]
    public void Failure_is_sticky_until_reset()
    {
        var validator = new Utf8Validator();
        Assert.False(validator.TryAppend([0x80]));
        Assert.False(validator.TryAppend("fine"u8));
        Assert.False(validator.TryAppend([]));
        Assert.False(validator.IsComplete);

        validator.Reset();
        Assert.True(validator.IsComplete);
        Assert.True(validator.TryAppend("fine"u8));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Reset_forgets_an_unfinished_code_point()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xE2, 0x82]));
        Assert.False(validator.IsComplete);

        validator.Reset();
        Assert.True(validator.IsComplete);
        Assert.True(validator.TryAppend("A"u8));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Default_value_is_an_empty_complete_message()
    {
        Utf8Validator validator = default;
        Assert.True(validator.IsComplete);
        Assert.True(validator.TryAppend([]));
        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void Empty_appends_inside_a_code_point_change_nothing()
    {
        var validator = new Utf8Validator();
        Assert.True(validator.TryAppend([0xF0]));
        Assert.True(validator.TryAppend([]));
        Assert.True(validator.TryAppend([0x9F]));
        Assert.True(validator.TryAppend([]));
        Assert.False(validator.IsComplete);
        Assert.True(validator.TryAppend([0x98, 0x80]));
        Assert.True(validator.IsComplete);
    }

    // ----- Exhaustive and generated cases -----

    [Fact]
    public void Every_scalar_value_is_accepted_alone_and_in_one_long_text_split_at_odd_sizes()
    {
        var all = new List<byte>(4 * 0x110000);
        Span<byte> encoded = stackalloc byte[4];
        for (int value = 0; value <= 0x10FFFF; value++)
        {
            if (value is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            int length = new Rune(value).EncodeToUtf8(encoded);
            ReadOnlySpan<byte> bytes = encoded[..length];
            all.AddRange(bytes);

            var whole = new Utf8Validator();
            Assert.True(whole.TryAppend(bytes) && whole.IsComplete, $"U+{value:X4}");

            if (length > 1)
            {
                var bytewise = new Utf8Validator();
                for (int i = 0; i < length; i++)
                {
                    Assert.True(bytewise.TryAppend(bytes.Slice(i, 1)), $"U+{value:X4} byte {i}");
                    Assert.Equal(i == length - 1, bytewise.IsComplete);
                }
            }
        }

        byte[] text = [.. all];
        foreach (int chunk in new[] { 1, 2, 3, 5, 7, 31, 33, 4097, 65_537, text.Length })
        {
            var validator = new Utf8Validator();
            for (int offset = 0; offset < text.Length; offset += chunk)
            {
                Assert.True(validator.TryAppend(text.AsSpan(offset, Math.Min(chunk, text.Length - offset))), $"chunk {chunk} at {offset}");
            }

            Assert.True(validator.IsComplete, $"chunk {chunk}");
        }
    }

    [Fact]
    public void Every_surrogate_fails_at_its_second_byte()
    {
        for (int value = 0xD800; value <= 0xDFFF; value++)
        {
            // The 3-byte pattern of RFC 3629 applied to a surrogate: 1110xxxx 10xxxxxx 10xxxxxx.
            byte[] bytes = [(byte)(0xE0 | (value >> 12)), (byte)(0x80 | ((value >> 6) & 0x3F)), (byte)(0x80 | (value & 0x3F))];
            Assert.Equal(0xED, bytes[0]);
            AssertVerdict(bytes, 1, complete: false);
        }
    }

    [Fact]
    public void Every_overlong_encoding_fails_at_the_first_byte_that_proves_it_overlong()
    {
        // 2-byte forms of U+0000..U+007F start with C0 or C1, which is enough to know.
        for (int value = 0; value < 0x80; value++)
        {
            AssertVerdict([(byte)(0xC0 | (value >> 6)), (byte)(0x80 | (value & 0x3F))], 0, complete: false);
        }

        // 3-byte forms of U+0000..U+07FF: E0 followed by 80..9F.
        for (int value = 0; value < 0x800; value++)
        {
            AssertVerdict([0xE0, (byte)(0x80 | (value >> 6)), (byte)(0x80 | (value & 0x3F))], 1, complete: false);
        }

        // 4-byte forms of U+0000..U+FFFF: F0 followed by 80..8F.
        for (int value = 0; value < 0x10000; value++)
        {
            byte[] bytes = [0xF0, (byte)(0x80 | (value >> 12)), (byte)(0x80 | ((value >> 6) & 0x3F)), (byte)(0x80 | (value & 0x3F))];
            AssertWholeAndBytewise(bytes, 1, complete: false);
        }
    }

    [Fact]
    public void Every_two_byte_string_matches_the_reference()
    {
        byte[] bytes = new byte[2];
        for (int first = 0; first < 256; first++)
        {
            for (int second = 0; second < 256; second++)
            {
                bytes[0] = (byte)first;
                bytes[1] = (byte)second;
                int failAt = ReferenceFailIndex(bytes);
                AssertWholeAndBytewise(bytes, failAt, complete: Utf8.IsValid(bytes));
            }
        }
    }

    [Fact]
    public void Every_four_byte_string_of_class_boundary_bytes_matches_the_reference()
    {
        // One or two bytes from each end of every range the DFA distinguishes.
        byte[] representatives =
        [
            0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF,
        ];
        byte[] bytes = new byte[4];
        foreach (byte a in representatives)
        {
            foreach (byte b in representatives)
            {
                foreach (byte c in representatives)
                {
                    foreach (byte d in representatives)
                    {
                        bytes[0] = a;
                        bytes[1] = b;
                        bytes[2] = c;
                        bytes[3] = d;
                        int failAt = ReferenceFailIndex(bytes);
                        AssertWholeAndBytewise(bytes, failAt, complete: Utf8.IsValid(bytes));
                    }
                }
            }
        }
    }

    [Fact]
    public void Random_near_valid_texts_split_at_random_points_agree_with_Utf8_IsValid()
    {
        var random = new Random(6455);
        int valid = 0;
        int invalid = 0;
        for (int round = 0; round < 4000; round++)
        {
            byte[] text = NearValidText(random);
            bool expected = Utf8.IsValid(text);
            if (expected)
            {
                valid++;
            }
            else
            {
                invalid++;
            }

            int expectedFailAt = ReferenceFailIndex(text);

            // Split into up to 5 pieces at random points (pieces may be empty).
            int[] cuts = [.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(0, text.Length + 1)).Order()];
            var validator = new Utf8Validator();
            bool allAccepted = true;
            int start = 0;
            foreach (int end in cuts.Append(text.Length))
            {
                bool accepted = validator.TryAppend(text.AsSpan(start, end - start));
                if (allAccepted && !accepted)
                {
                    // The piece that failed must be the one holding the first bad byte.
                    Assert.InRange(expectedFailAt, start, end - 1);
                }

                allAccepted &= accepted;
                start = end;
            }

            bool verdict = allAccepted && validator.IsComplete;
            Assert.True(expected == verdict, $"round {round}: {Convert.ToHexString(text)} split at [{string.Join(", ", cuts)}]");

            Assert.Equal(expectedFailAt, BytewiseFailIndex(text, out bool bytewiseComplete));
            Assert.Equal(expected, bytewiseComplete);
        }

        // The generator must produce both outcomes in quantity, or the test proves little.
        Assert.InRange(valid, 1000, 3000);
        Assert.InRange(invalid, 1000, 3000);
    }

    [Fact]
    public void Appending_does_not_allocate()
    {
        var random = new Random(1);
        var buffer = new List<byte>();
        while (buffer.Count < 1 << 20)
        {
            buffer.AddRange(Encoding.UTF8.GetBytes(RandomValidString(random, 64)));
        }

        byte[] text = [.. buffer];
        int[] chunks = [1, 3, 17, 100, 4093, text.Length];

        Validate(text, chunks); // warm-up: JIT, tiering, static data
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = Validate(text, chunks);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(ok);
        Assert.Equal(0, allocated);

        static bool Validate(byte[] text, int[] chunks)
        {
            bool ok = true;
            foreach (int chunk in chunks)
            {
                var validator = new Utf8Validator();
                for (int offset = 0; offset < text.Length; offset += chunk)
                {
                    ok &= validator.TryAppend(text.AsSpan(offset, Math.Min(chunk, text.Length - offset)));
                }

                ok &= validator.IsComplete;
            }

            return ok;
        }
    }

    // ----- Helpers -----

    /// <summary>About 100 bytes of valid text mixing ASCII runs and 2-, 3- and 4-byte code points.</summary>
    private static readonly byte[] LongValidPrefix = Encoding.UTF8.GetBytes(
        "player-42 joined the lobby at 12:00 \u03ba\u1f79\u03c3\u03bc\u03b5 \u4e2d\u6587 \U0001F3AE ok; score=1000, level=7 \u00e9t\u00e9 ");

    private static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Checks the verdict fed whole, in two pieces split at every position, and one byte at a time.
    /// <paramref name="failAt"/> is the index of the first bad byte, or <see cref="Valid"/>.
    /// </summary>
    private static void AssertVerdict(byte[] text, int failAt, bool complete)
    {
        AssertWholeAndBytewise(text, failAt, complete);

        for (int split = 0; split <= text.Length; split++)
        {
            var validator = new Utf8Validator();
            bool first = validator.TryAppend(text.AsSpan(0, split));
            bool second = validator.TryAppend(text.AsSpan(split));

            // The first piece fails exactly when it holds the first bad byte.
            bool firstShouldFail = failAt != Valid && failAt < split;
            Assert.True(first != firstShouldFail, $"first piece of a split at {split}: {(first ? "accepted" : "refused")}");
            Assert.True(second == (failAt == Valid), $"second piece of a split at {split}: {(second ? "accepted" : "refused")}");
            Assert.True(validator.IsComplete == (failAt == Valid && complete), $"IsComplete after a split at {split}");
        }
    }

    private static void AssertWholeAndBytewise(byte[] text, int failAt, bool complete)
    {
        var whole = new Utf8Validator();
        Assert.True(whole.TryAppend(text) == (failAt == Valid), $"whole {Convert.ToHexString(text)}");
        Assert.True(whole.IsComplete == (failAt == Valid && complete), $"IsComplete, whole {Convert.ToHexString(text)}");

        Assert.True(failAt == BytewiseFailIndex(text, out bool bytewiseComplete), $"byte by byte {Convert.ToHexString(text)}");
        Assert.True(bytewiseComplete == (failAt == Valid && complete), $"IsComplete, byte by byte {Convert.ToHexString(text)}");
    }

    /// <summary>Feeds one byte per call; returns the index of the first refused byte, checking that every later byte is refused too.</summary>
    private static int BytewiseFailIndex(byte[] text, out bool complete)
    {
        var validator = new Utf8Validator();
        int failAt = Valid;
        for (int i = 0; i < text.Length; i++)
        {
            bool accepted = validator.TryAppend(text.AsSpan(i, 1));
            if (failAt != Valid)
            {
                Assert.False(accepted, $"byte {i} accepted after a failure at {failAt}");
            }
            else if (!accepted)
            {
                failAt = i;
            }
        }

        complete = validator.IsComplete;
        return failAt;
    }

    /// <summary>
    /// The index of the first byte after which the text can no longer be completed into valid
    /// UTF-8, found with the framework's validator alone (so independently of the DFA under test).
    /// </summary>
    private static int ReferenceFailIndex(byte[] text)
    {
        if (CanBeCompleted(text))
        {
            return Valid;
        }

        // "Cannot be completed" holds for every extension of a prefix for which it holds, so
        // the shortest such prefix can be found by bisection.
        int low = 1; // the empty prefix can be completed
        int high = text.Length; // the whole text cannot
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (CanBeCompleted(text.AsSpan(0, middle)))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low - 1;
    }

    /// <summary>
    /// Whether some bytes appended to <paramref name="prefix"/> make it valid UTF-8. Only the last,
    /// unfinished code point needs completing, with at most 3 bytes; its second byte is limited
    /// to 80-BF, A0-BF, 80-9F, 90-BF or 80-8F (RFC 3629), each of which holds 80, 90 or A0, and
    /// any further byte may be 80.
    /// </summary>
    private static bool CanBeCompleted(ReadOnlySpan<byte> prefix)
    {
        if (Utf8.IsValid(prefix))
        {
            return true;
        }

        Span<byte> candidate = stackalloc byte[prefix.Length + 3];
        prefix.CopyTo(candidate);
        for (int extra = 1; extra <= 3; extra++)
        {
            foreach (byte next in (ReadOnlySpan<byte>)[0x80, 0x90, 0xA0])
            {
                candidate[prefix.Length] = next;
                candidate.Slice(prefix.Length + 1, extra - 1).Fill(0x80);
                if (Utf8.IsValid(candidate[..(prefix.Length + extra)]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string RandomValidString(Random random, int maxRunes)
    {
        var builder = new StringBuilder();
        int count = random.Next(0, maxRunes + 1);
        for (int i = 0; i < count; i++)
        {
            builder.Append(RandomRune(random).ToString());
        }

        return builder.ToString();
    }

    private static Rune RandomRune(Random random)
    {
        while (true)
        {
            int value = random.Next(8) switch
            {
                0 or 1 or 2 => random.Next(0x20, 0x7F),                // mostly ASCII, like game messages
                3 => random.Next(0x80, 0x800),                         // 2 bytes
                4 => random.Next(0x800, 0x10000),                      // 3 bytes
                5 => random.Next(0x10000, 0x110000),                   // 4 bytes
                6 => (int)Boundaries[random.Next(Boundaries.Length)],  // edges of each length
                _ => random.Next(0, 0x80),                             // any ASCII, controls included
            };
            if (Rune.IsValid(value))
            {
                return new Rune(value);
            }
        }
    }

    private static readonly uint[] Boundaries =
        [0x0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF];

    /// <summary>Valid text with, about every other time, a defect typical of broken or hostile encoders.</summary>
    private static byte[] NearValidText(Random random)
    {
        var bytes = new List<byte>();
        int tokens = random.Next(0, 12);
        bool damage = random.Next(2) == 0;
        int damaged = damage ? random.Next(0, tokens + 1) : -1;
        for (int token = 0; token <= tokens; token++)
        {
            if (token == damaged)
            {
                AppendDefect(random, bytes);
            }

            switch (random.Next(6))
            {
                case 0:
                    // A long ASCII run, so that the vectorized path is used.
                    int run = random.Next(1, 200);
                    for (int i = 0; i < run; i++)
                    {
                        bytes.Add((byte)random.Next(0x20, 0x7F));
                    }

                    break;
                default:
                    bytes.AddRange(Encoding.UTF8.GetBytes(RandomValidString(random, 6)));
                    break;
            }
        }

        return [.. bytes];
    }

    private static void AppendDefect(Random random, List<byte> bytes)
    {
        Span<byte> encoded = stackalloc byte[4];
        switch (random.Next(9))
        {
            case 0: // any byte at all
                bytes.Add((byte)random.Next(256));
                break;
            case 1: // a byte that never appears, or a lone continuation byte
                bytes.Add((byte)(random.Next(2) == 0 ? random.Next(0x80, 0xC0) : new[] { 0xC0, 0xC1, 0xF5, 0xF8, 0xFE, 0xFF }[random.Next(6)]));
                break;
            case 2: // a multi-byte code point cut short (possibly at the very end of the text)
                int length = new Rune(random.Next(0x80, 0x110000) is var v && Rune.IsValid(v) ? v : 0xFFFD).EncodeToUtf8(encoded);
                bytes.AddRange(encoded[..random.Next(1, length)].ToArray());
                break;
            case 3: // a surrogate, encoded as if it were a code point
                int surrogate = random.Next(0xD800, 0xE000);
                bytes.AddRange([(byte)0xED, (byte)(0x80 | ((surrogate >> 6) & 0x3F)), (byte)(0x80 | (surrogate & 0x3F))]);
                break;
            case 4: // an overlong 3- or 4-byte form
                bytes.AddRange(random.Next(2) == 0
                    ? [(byte)0xE0, (byte)random.Next(0x80, 0xA0), (byte)random.Next(0x80, 0xC0)]
                    : [(byte)0xF0, (byte)random.Next(0x80, 0x90), (byte)random.Next(0x80, 0xC0), (byte)random.Next(0x80, 0xC0)]);
                break;
            case 5: // above U+10FFFF
                bytes.AddRange([(byte)0xF4, (byte)random.Next(0x90, 0xC0), (byte)random.Next(0x80, 0xC0), (byte)random.Next(0x80, 0xC0)]);
                break;
            case 6: // an extra continuation byte after a valid code point
                bytes.AddRange(Encoding.UTF8.GetBytes(RandomRune(random).ToString()));
                bytes.Add((byte)random.Next(0x80, 0xC0));
                break;
            case 7: // a valid lead byte followed by a wrong byte
                bytes.Add((byte)random.Next(0xC2, 0xF5));
                bytes.Add((byte)random.Next(0x00, 0x80));
                break;
            default: // a random byte replaced inside an otherwise valid code point
                int count = new Rune(random.Next(0x800, 0x110000) is var w && Rune.IsValid(w) ? w : 0xFFFD).EncodeToUtf8(encoded);
                encoded[random.Next(count)] = (byte)random.Next(256);
                bytes.AddRange(encoded[..count].ToArray());
                break;
        }
    }
}
