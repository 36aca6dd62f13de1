using System.Buffers.Binary;
using Kecleon.Llvm;

namespace Kecleon.FrontEnd;

/// <summary>
/// The <c>.llvmbc</c> section of a BPF object. clang's <c>-fembed-bitcode</c> puts one bitcode file there; libbpf's
/// linker (<c>bpftool gen object out.o a.o b.o</c>) concatenates the sections of the objects it links, with no padding
/// (each bitcode file is a whole number of 32-bit words). The files are told apart by walking the bitstream's top-level
/// blocks, each of which states its own length, and are linked back into one module: the code the linked object runs.
/// </summary>
public static class EmbeddedBitcode
{
    private const uint RawMagic = 0xdec04342;     // "BC" 0xC0DE, read little-endian
    private const uint WrapperMagic = 0x0b17c0de;

    /// <summary>The bitcode files in <paramref name="section"/>, in order.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> section, string name)
    {
        var files = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        while (offset < section.Length)
        {
            var length = FileLength(section.Span[offset..], name, files.Count);
            files.Add(section.Slice(offset, length));
            offset += length;
        }
        if (files.Count == 0)
            throw new InvalidInputException($"{name}: the .llvmbc section is empty");
        return files;
    }

    /// <summary>The section's IR as one bitcode file: the only one as it is, or several linked into the first.</summary>
    public static byte[] Link(byte[] section, string name)
    {
        var files = Split(section, name);
        if (files.Count == 1)
            return section;
        using var context = LlvmContext.Create();
        using var linked = Parse(context, files[0], $"{name} (bitcode 1 of {files.Count})");
        for (var i = 1; i < files.Count; i++)
        {
            var part = Parse(context, files[i], $"{name} (bitcode {i + 1} of {files.Count})");
            try
            {
                linked.Link(part);
            }
            catch (KecleonException e) when (e is not LlvmFatalErrorException)
            {
                throw new InvalidInputException(
                    $"{name}: a linked object whose embedded bitcode files do not link as LLVM modules (file {i + 1} of " +
                    $"{files.Count}): {e.Message}");
            }
        }
        return linked.ToBitcode();
    }

    private static LlvmModule Parse(LlvmContext context, ReadOnlyMemory<byte> bitcode, string name) =>
        LlvmModule.Parse(context, bitcode.Span, name);

    /// <summary>The length of the bitcode file at the start of <paramref name="data"/>.</summary>
    private static int FileLength(ReadOnlySpan<byte> data, string name, int index)
    {
        if (data.Length < 4)
            throw Malformed(name, index, "a truncated bitcode file");
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (magic == WrapperMagic)
        {
            // The wrapper header: magic, version, offset and size of the raw bitcode, cpu type (five 32-bit words).
            if (data.Length < 20)
                throw Malformed(name, index, "a truncated bitcode wrapper header");
            var end = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) + BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
            if (end > data.Length || end < 20)
                throw Malformed(name, index, "a bitcode wrapper whose offset and size do not fit the section");
            return (int)end;
        }
        if (magic != RawMagic)
            throw Malformed(name, index, "no bitcode magic where a bitcode file should start");
        // After the magic, the top level holds only blocks (identification, module, string table, symbol table), read
        // with 2-bit abbreviation ids. Each starts ENTER_SUBBLOCK (id 1), block id (vbr8), abbreviation width (vbr4),
        // then, aligned to 32 bits, its length in 32-bit words. The next file's magic (whose low bits read as id 2) or
        // the section's end closes the file.
        var position = 4;
        while (position < data.Length)
        {
            if (data.Length - position >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data[position..]) is RawMagic or WrapperMagic)
                break;
            if (data[position..].IndexOfAnyExcept((byte)0) < 0)
                return data.Length; // zero padding to the section's end (libbpf's linker adds none; other linkers might)
            var reader = new BitReader(data, position);
            long end;
            try
            {
                if (reader.Read(2) != 1)
                    throw Malformed(name, index, $"a top-level record at byte {position} where only blocks may be");
                reader.ReadVbr(8);
                reader.ReadVbr(4);
                reader.AlignTo32();
                var words = (long)reader.Read(32);
                end = reader.BytePosition + words * 4;
            }
            catch (EndOfStreamException e)
            {
                throw Malformed(name, index, $"{e.Message} at byte {position}");
            }
            if (end > data.Length)
                throw Malformed(name, index, $"a block at byte {position} that runs past the section's end");
            position = (int)end;
        }
        return position;
    }

    private static InvalidInputException Malformed(string name, int index, string what) =>
        new($"{name}: the .llvmbc section is not a sequence of bitcode files (file {index + 1}: {what})");

    /// <summary>Reads a bitstream least significant bit first, as LLVM writes it.</summary>
    private ref struct BitReader(ReadOnlySpan<byte> data, int bytePosition)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private long _bit = bytePosition * 8L;

        public readonly int BytePosition => (int)(_bit / 8);

        public ulong Read(int width)
        {
            ulong value = 0;
            for (var i = 0; i < width; i++, _bit++)
            {
                var at = (int)(_bit / 8);
                if (at >= _data.Length)
                    throw new EndOfStreamException("the section ends inside a block header");
                value |= (ulong)((_data[at] >> (int)(_bit % 8)) & 1) << i;
            }
            return value;
        }

        public ulong ReadVbr(int width)
        {
            ulong value = 0;
            var continuation = 1UL << (width - 1);
            for (var shift = 0; shift < 64; shift += width - 1)
            {
                var chunk = Read(width);
                value |= (chunk & (continuation - 1)) << shift;
                if ((chunk & continuation) == 0)
                    return value;
            }
            throw new EndOfStreamException("an over-long number in a block header");
        }

        public void AlignTo32() => _bit = (_bit + 31) / 32 * 32;
    }
}
