using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace WsGame.Api.WebSockets.Protocol;

/// <summary>
/// RFC 6455 section 5.3 payload masking: "Octet i of the transformed data ("transformed-octet-i")
/// is the XOR of octet i of the original data ("original-octet-i") with octet at index i modulo 4
/// of the masking key ("masking-key-octet-j")". Masking and unmasking are the same operation.
/// </summary>
public static class Masking
{
    /// <summary>
    /// Applies RFC 6455 section 5.3 masking (XOR with key[(maskIndex + j) % 4]) while copying
    /// <paramref name="source"/> into <paramref name="destination"/>.
    /// </summary>
    /// <param name="source">The bytes to mask or unmask.</param>
    /// <param name="destination">
    /// Receives the result; at least as long as <paramref name="source"/>. It may be the same
    /// memory as the source only if both start at the same address.
    /// </param>
    /// <param name="maskKey">
    /// The 4 masking-key bytes as they appear on the wire, packed little-endian: key byte i is
    /// <c>(maskKey &gt;&gt; (8 * i)) &amp; 0xFF</c>. Read it with
    /// <c>BinaryPrimitives.ReadUInt32LittleEndian(keyBytes)</c>.
    /// </param>
    /// <param name="maskIndex">
    /// 0..3: the index of the key byte for <c>source[0]</c>, i.e. the payload offset of
    /// <c>source[0]</c> modulo 4.
    /// </param>
    /// <returns>
    /// The mask index for the next byte of the same frame, <c>(maskIndex + source.Length) % 4</c>,
    /// so that a payload can be unmasked in pieces as it is read.
    /// </returns>
    public static int Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint maskKey, int maskIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maskIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maskIndex, 3);
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        // Each block is read before it is written, so exact aliasing is fine; a shifted overlap
        // would read bytes already masked, so refuse it rather than return garbage.
        if (source.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("The source and destination overlap at different addresses.", nameof(destination));
        }

        int length = source.Length;
        if (length == 0)
        {
            return maskIndex;
        }

        // Rotate the key once so that byte 0 of `key` is the key byte for source[0]; from then on
        // every block whose offset is a multiple of 4 uses the same key pattern, which is what
        // lets whole vectors be XORed with one broadcast value.
        uint key = BitOperations.RotateRight(maskKey, 8 * maskIndex);

        // Vector and ulong loads are in machine byte order; the broadcast pattern must match the
        // memory order of the key bytes (the JIT folds this branch away).
        uint lanes = BitConverter.IsLittleEndian ? key : BinaryPrimitives.ReverseEndianness(key);

        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)length;
        nuint i = 0;

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<byte>.Count)
        {
            Vector256<byte> mask = Vector256.Create(lanes).AsByte();
            nuint last = n - (nuint)Vector256<byte>.Count;
            do
            {
                (Vector256.LoadUnsafe(ref src, i) ^ mask).StoreUnsafe(ref dst, i);
                i += (nuint)Vector256<byte>.Count;
            }
            while (i <= last);
        }

        if (Vector128.IsHardwareAccelerated && n - i >= (nuint)Vector128<byte>.Count)
        {
            Vector128<byte> mask = Vector128.Create(lanes).AsByte();
            nuint last = n - (nuint)Vector128<byte>.Count;
            do
            {
                (Vector128.LoadUnsafe(ref src, i) ^ mask).StoreUnsafe(ref dst, i);
                i += (nuint)Vector128<byte>.Count;
            }
            while (i <= last);
        }

        // Without SIMD this loop does the bulk; after the vectors it runs at most once.
        ulong wide = ((ulong)lanes << 32) | lanes;
        while (n - i >= sizeof(ulong))
        {
            ulong value = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), value ^ wide);
            i += sizeof(ulong);
        }

        if (n - i >= sizeof(uint))
        {
            uint value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), value ^ lanes);
            i += sizeof(uint);
        }

        // At most 3 bytes are left, and i is a multiple of 4, so they take key bytes 0, 1, 2.
        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ (byte)key);
            key >>= 8;
        }

        return (maskIndex + (length & 3)) & 3;
    }

    /// <summary>Applies RFC 6455 section 5.3 masking to <paramref name="data"/> in place.</summary>
    /// <param name="data">The bytes to mask or unmask; overwritten with the result.</param>
    /// <param name="maskKey">The masking key, packed little-endian as for the copying overload.</param>
    /// <param name="maskIndex">0..3: the index of the key byte for <c>data[0]</c>.</param>
    /// <returns>The mask index for the next byte of the same frame, <c>(maskIndex + data.Length) % 4</c>.</returns>
    public static int Apply(Span<byte> data, uint maskKey, int maskIndex) => Apply(data, data, maskKey, maskIndex);
}
