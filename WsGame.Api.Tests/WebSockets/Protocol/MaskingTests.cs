using System.Buffers.Binary;
using System.Text;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Tests.WebSockets.Protocol;

/// <summary>RFC 6455 section 5.3 masking, checked against the definition applied byte by byte.</summary>
public sealed class MaskingTests
{
    private static readonly byte[] RfcKey = [0x37, 0xFA, 0x21, 0x3D];

    [Fact]
    public void Rfc6455_example_masked_Hello_unmasks_to_Hello()
    {
        // RFC 6455 section 5.7: "A single-frame masked text message
        // 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58 contains "Hello"".
        byte[] payload = [0x7F, 0x9F, 0x4D, 0x51, 0x58];
        uint key = BinaryPrimitives.ReadUInt32LittleEndian(RfcKey);

        int next = Masking.Apply(payload, key, 0);

        Assert.Equal("Hello", Encoding.ASCII.GetString(payload));
        Assert.Equal(1, next);
    }

    [Fact]
    public void Rfc6455_example_Hello_masks_to_the_bytes_on_the_wire()
    {
        byte[] masked = new byte[5];

        Masking.Apply("Hello"u8, masked, BinaryPrimitives.ReadUInt32LittleEndian(RfcKey), 0);

        Assert.Equal([0x7F, 0x9F, 0x4D, 0x51, 0x58], masked);
    }

    [Fact]
    public void Copy_matches_the_byte_by_byte_definition_for_every_length_mask_index_and_alignment()
    {
        var random = new Random(53);
        for (int length = 0; length <= 300; length++)
        {
            for (int maskIndex = 0; maskIndex < 4; maskIndex++)
            {
                // Misaligned starts, so that vector loads and stores cross cache lines too.
                int sourceOffset = random.Next(0, 8);
                int destinationOffset = random.Next(0, 8);
                byte[] key = RandomBytes(random, 4);
                byte[] source = RandomBytes(random, sourceOffset + length + 8);
                byte[] original = (byte[])source.Clone();
                byte[] destination = RandomBytes(random, destinationOffset + length + 8);
                byte[] expected = (byte[])destination.Clone();
                ReferenceMask(source.AsSpan(sourceOffset, length), expected.AsSpan(destinationOffset, length), key, maskIndex);

                int next = Masking.Apply(
                    source.AsSpan(sourceOffset, length),
                    destination.AsSpan(destinationOffset, length + random.Next(0, 8)),
                    BinaryPrimitives.ReadUInt32LittleEndian(key),
                    maskIndex);

                // Bytes around the target, and the source, are left alone.
                Assert.True(expected.AsSpan().SequenceEqual(destination), $"length {length}, mask index {maskIndex}");
                Assert.Equal(original, source);
                Assert.Equal((maskIndex + length) % 4, next);
            }
        }
    }

    [Fact]
    public void In_place_matches_the_byte_by_byte_definition_for_every_length_mask_index_and_alignment()
    {
        var random = new Random(54);
        for (int length = 0; length <= 300; length++)
        {
            for (int maskIndex = 0; maskIndex < 4; maskIndex++)
            {
                int offset = random.Next(0, 8);
                byte[] key = RandomBytes(random, 4);
                byte[] data = RandomBytes(random, offset + length + 8);
                byte[] expected = (byte[])data.Clone();
                ReferenceMask(data.AsSpan(offset, length), expected.AsSpan(offset, length), key, maskIndex);

                int next = Masking.Apply(data.AsSpan(offset, length), BinaryPrimitives.ReadUInt32LittleEndian(key), maskIndex);

                Assert.True(expected.AsSpan().SequenceEqual(data), $"length {length}, mask index {maskIndex}");
                Assert.Equal((maskIndex + length) % 4, next);
            }
        }
    }

    [Fact]
    public void Large_payload_matches_the_byte_by_byte_definition()
    {
        var random = new Random(55);
        byte[] key = RandomBytes(random, 4);
        byte[] source = RandomBytes(random, (1 << 20) + 7);
        byte[] expected = new byte[source.Length];
        ReferenceMask(source, expected, key, 2);
        byte[] destination = new byte[source.Length];

        int next = Masking.Apply(source, destination, BinaryPrimitives.ReadUInt32LittleEndian(key), 2);

        Assert.True(expected.AsSpan().SequenceEqual(destination));
        Assert.Equal((2 + source.Length) % 4, next);
    }

    [Fact]
    public void Unmasking_in_two_pieces_at_every_split_point_equals_unmasking_in_one_go()
    {
        var random = new Random(56);
        byte[] key = RandomBytes(random, 4);
        uint maskKey = BinaryPrimitives.ReadUInt32LittleEndian(key);
        byte[] payload = RandomBytes(random, 300);
        byte[] inOneGo = (byte[])payload.Clone();
        Masking.Apply(inOneGo, maskKey, 0);

        for (int split = 0; split <= payload.Length; split++)
        {
            byte[] inPlace = (byte[])payload.Clone();
            int next = Masking.Apply(inPlace.AsSpan(0, split), maskKey, 0);
            next = Masking.Apply(inPlace.AsSpan(split), maskKey, next);
            Assert.True(inOneGo.AsSpan().SequenceEqual(inPlace), $"in place, split at {split}");
            Assert.Equal(payload.Length % 4, next);

            byte[] copied = new byte[payload.Length];
            next = Masking.Apply(payload.AsSpan(0, split), copied, maskKey, 0);
            next = Masking.Apply(payload.AsSpan(split), copied.AsSpan(split), maskKey, next);
            Assert.True(inOneGo.AsSpan().SequenceEqual(copied), $"copy, split at {split}");
            Assert.Equal(payload.Length % 4, next);
        }
    }

    [Fact]
    public void Unmasking_in_many_random_pieces_equals_unmasking_in_one_go()
    {
        var random = new Random(57);
        for (int round = 0; round < 200; round++)
        {
            uint maskKey = (uint)random.NextInt64(0, 1L << 32);
            byte[] payload = RandomBytes(random, random.Next(0, 2000));
            byte[] inOneGo = (byte[])payload.Clone();
            Masking.Apply(inOneGo, maskKey, 0);

            byte[] inPieces = (byte[])payload.Clone();
            int maskIndex = 0;
            for (int start = 0; start < inPieces.Length;)
            {
                int length = Math.Min(random.Next(0, 70), inPieces.Length - start);
                maskIndex = Masking.Apply(inPieces.AsSpan(start, length), maskKey, maskIndex);
                start += length;
            }

            Assert.True(inOneGo.AsSpan().SequenceEqual(inPieces), $"round {round}");
        }
    }

    [Fact]
    public void Masking_twice_restores_the_original()
    {
        var random = new Random(58);
        byte[] original = RandomBytes(random, 1000);
        byte[] data = (byte[])original.Clone();
        uint maskKey = 0xDEADBEEF;

        Masking.Apply(data, maskKey, 3);
        Assert.False(original.AsSpan().SequenceEqual(data));
        Masking.Apply(data, maskKey, 3);

        Assert.Equal(original, data);
    }

    [Fact]
    public void Key_byte_i_is_the_little_endian_byte_i_of_the_mask_key()
    {
        byte[] data = new byte[8];

        Masking.Apply(data, 0x44332211, 0);
        Assert.Equal([0x11, 0x22, 0x33, 0x44, 0x11, 0x22, 0x33, 0x44], data);

        Array.Clear(data);
        Masking.Apply(data, 0x44332211, 1);
        Assert.Equal([0x22, 0x33, 0x44, 0x11, 0x22, 0x33, 0x44, 0x11], data);
    }

    [Fact]
    public void Empty_input_returns_the_same_mask_index()
    {
        for (int maskIndex = 0; maskIndex < 4; maskIndex++)
        {
            Assert.Equal(maskIndex, Masking.Apply(Span<byte>.Empty, 0x12345678, maskIndex));
            Assert.Equal(maskIndex, Masking.Apply(ReadOnlySpan<byte>.Empty, Span<byte>.Empty, 0x12345678, maskIndex));
        }
    }

    [Fact]
    public void Destination_shorter_than_the_source_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Masking.Apply(new byte[10], new byte[9], 1, 0));
    }

    [Fact]
    public void Source_and_destination_overlapping_at_different_addresses_are_refused()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<ArgumentException>(() => Masking.Apply(buffer.AsSpan(0, 40), buffer.AsSpan(4, 40), 1, 0));
        Assert.Throws<ArgumentException>(() => Masking.Apply(buffer.AsSpan(4, 40), buffer.AsSpan(0, 40), 1, 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Mask_index_outside_0_to_3_is_refused(int maskIndex)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Masking.Apply(new byte[4], 1, maskIndex));
    }

    [Fact]
    public void Applying_does_not_allocate()
    {
        byte[] source = RandomBytes(new Random(59), 100_003);
        byte[] destination = new byte[source.Length];

        Run(source, destination); // warm-up: JIT and tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        int result = Run(source, destination);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.InRange(result, 0, 3);

        static int Run(byte[] source, byte[] destination)
        {
            int next = 0;
            foreach (int length in PieceLengths)
            {
                next = Masking.Apply(source.AsSpan(0, length), destination, 0x3D21FA37, next);
                next = Masking.Apply(destination.AsSpan(0, length), 0x3D21FA37, next);
            }

            return next;
        }
    }

    private static readonly int[] PieceLengths = [0, 1, 3, 7, 15, 31, 33, 63, 100, 4099, 100_003];

    /// <summary>The definition, literally: octet i XOR masking-key octet (maskIndex + i) mod 4.</summary>
    private static void ReferenceMask(ReadOnlySpan<byte> source, Span<byte> destination, byte[] key, int maskIndex)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ key[(maskIndex + i) % 4]);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
