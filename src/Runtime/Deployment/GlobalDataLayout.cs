using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// Where an object's writable globals lie in their sections (<c>.data</c>, <c>.bss</c> and their named variants): each
/// variable's name, offset and size, from the ELF symbol table. Two objects with the same layout for a section can share
/// its map (a counter in <c>.bss</c> is then one counter, whichever program runs); with another layout they cannot.
/// </summary>
public static class GlobalDataLayout
{
    /// <summary>The writable global-data sections of <paramref name="elf"/>, each with its variables as
    /// <c>name@offset+size</c>, in order.</summary>
    public static IReadOnlyDictionary<string, string> Of(byte[] elf) =>
        Variables(elf).ToDictionary(s => s.Key, s => string.Join(";", s.Value.Select(v => $"{v.Name}@{v.Offset}+{v.Size}")));

    /// <summary>The variables of each writable global-data section of <paramref name="elf"/>, in order of offset.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Name, ulong Offset, ulong Size)>> Variables(byte[] elf)
    {
        var result = new Dictionary<string, IReadOnlyList<(string, ulong, ulong)>>();
        if (!ELFReader.TryLoad(new MemoryStream(elf), shouldOwnStream: true, out var file))
            return result;
        using (file)
        {
            var symbols = file.Sections.OfType<ISymbolTable>().SelectMany(t => t.Entries).OfType<SymbolEntry<ulong>>()
                .Where(s => s.Type == SymbolType.Object && s.PointedSection is { } section && IsWritable(section.Name));
            foreach (var group in symbols.GroupBy(s => s.PointedSection.Name))
                result[group.Key] = group.OrderBy(s => s.Value).Select(s => (s.Name, s.Value, s.Size)).ToList();
        }
        return result;
    }

    /// <summary>The section a global-data map holds, if it is a writable one.</summary>
    public static bool IsWritable(string section) =>
        section is ".data" or ".bss" || section.StartsWith(".data.", StringComparison.Ordinal) || section.StartsWith(".bss.", StringComparison.Ordinal);
}
