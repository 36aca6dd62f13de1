using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kecleon.Optimizer.Guards;
using Kecleon.Runtime.Optimization;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// <c>kecleon optimize --emit spec.o</c>: the specialized object exactly as it is (or would be) loaded, with two
/// sections libbpf skips added at the end: <c>.llvmbc</c>, the specialized module's bitcode (as clang's
/// <c>-fembed-bitcode</c> puts it there, so that <c>analyze</c>, <c>diff</c> and <c>bench</c> take the file as a program),
/// and <c>.kecleon.note</c>, a JSON note on its guard and fallback maps (docs/swap.md, "The emitted object"). The
/// loadable sections, their order and contents are untouched.
/// </summary>
public static class EmittedObject
{
    public const string NoteSection = ".kecleon.note";

    /// <param name="elf">The specialized object as loaded.</param>
    /// <param name="report">Its optimization (the bitcode kept: <see cref="Optimizer.CodeGen.CodeGenOptions.KeepBitcode"/>).</param>
    /// <param name="original">The live original it was specialized for.</param>
    /// <param name="swapped">Whether it was swapped in (false: <c>--dry-run</c>, or nothing was specialized).</param>
    public static byte[] Build(byte[] elf, OptimizationReport report, Bpf.BpfProgramInfo original, string input, bool swapped)
    {
        var note = new JsonObject
        {
            ["format"] = "kecleon-emit/1",
            ["program"] = report.Program,
            ["input"] = input,
            ["original"] = new JsonObject { ["id"] = original.Id, ["name"] = original.Name, ["tag"] = original.Tag },
            ["swapped_in"] = swapped,
            ["specialized"] = report.SpecializedAnything,
            ["guard"] = new JsonObject
            {
                ["map"] = GuardPrelude.GuardsMap,
                ["rule"] = "the program runs specialized while versions[slot] == version for every slot below, else it tail-calls the fallback",
                ["slots"] = new JsonArray(report.Snapshots.Select(s => (JsonNode)new JsonObject
                {
                    ["map"] = s.Name, ["slot"] = s.GuardSlot, ["version"] = s.GuardVersion, ["entries"] = s.Entries.Count,
                }).ToArray()),
            },
            ["fallback"] = new JsonObject
            {
                ["map"] = GuardPrelude.FallbackMap,
                ["index"] = 0,
                ["holds"] = "the original program; empty in this file (a fresh load has no fallback: a stale guard then ends in XDP_ABORTED, TC_ACT_UNSPEC for TC)",
            },
        };
        var sections = new List<(string, byte[])>();
        if (report.Bitcode is { } bitcode)
            sections.Add((".llvmbc", bitcode));
        sections.Add((NoteSection, Encoding.UTF8.GetBytes(note.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n")));
        return AppendSections(elf, sections);
    }

    /// <summary>The note of an emitted object, or null when it has none.</summary>
    public static JsonObject? Note(byte[] elf)
    {
        if (!ELFSharp.ELF.ELFReader.TryLoad(new MemoryStream(elf), shouldOwnStream: true, out var file))
            return null;
        using (file)
        {
            var section = file.Sections.FirstOrDefault(s => s.Name == NoteSection);
            return section is null ? null : JsonNode.Parse(section.GetContents()) as JsonObject;
        }
    }

    /// <summary>
    /// Appends non-loaded sections (<c>SHT_PROGBITS</c>, no flags) to a 64-bit little-endian relocatable object: the
    /// object's bytes stay where they are; after them come a new section-name table (the old names plus the new ones),
    /// the new sections' contents and a new section header table (the old headers, the name table's pointed at its new
    /// copy, then the new ones). Section indices are unchanged, so every link between sections still holds.
    /// </summary>
    internal static byte[] AppendSections(byte[] elf, IReadOnlyList<(string Name, byte[] Contents)> sections)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[4] != 2 || elf[5] != 1)
            throw new InvalidOperationException("not a 64-bit little-endian ELF object");
        var span = elf.AsSpan();
        var shoff = (int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        var shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3E..]);
        var strHeader = span.Slice(shoff + shstrndx * shentsize, shentsize);
        var oldNames = span.Slice((int)BinaryPrimitives.ReadUInt64LittleEndian(strHeader[0x18..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(strHeader[0x20..]));

        var output = new MemoryStream();
        output.Write(elf);
        var names = new MemoryStream();
        names.Write(oldNames);
        var nameOffsets = new List<int>();
        foreach (var (name, _) in sections)
        {
            nameOffsets.Add((int)names.Length);
            names.Write(Encoding.ASCII.GetBytes(name + "\0"));
        }
        var namesAt = output.Length;
        output.Write(names.ToArray());
        var contentsAt = new List<long>();
        foreach (var (_, contents) in sections)
        {
            Align(output, 8);
            contentsAt.Add(output.Length);
            output.Write(contents);
        }
        Align(output, 8);
        var headersAt = output.Length;
        var headers = span.Slice(shoff, shnum * shentsize).ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(shstrndx * shentsize + 0x18), (ulong)namesAt);
        BinaryPrimitives.WriteUInt64LittleEndian(headers.AsSpan(shstrndx * shentsize + 0x20), (ulong)names.Length);
        output.Write(headers);
        for (var i = 0; i < sections.Count; i++)
        {
            var header = new byte[shentsize];
            BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)nameOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 1); // SHT_PROGBITS
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(0x18), (ulong)contentsAt[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(0x20), (ulong)sections[i].Contents.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(0x30), 1); // alignment
            output.Write(header);
        }
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(0x28), (ulong)headersAt);
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(0x3C), (ushort)(shnum + sections.Count));
        return result;
    }

    private static void Align(MemoryStream stream, int alignment)
    {
        while (stream.Length % alignment != 0)
            stream.WriteByte(0);
    }
}
