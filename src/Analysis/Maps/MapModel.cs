using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kecleon.Bpf;
using Kecleon.Llvm;

namespace Kecleon.Maps;

/// <summary>
/// Every map a module defines: the <c>.maps</c> globals and the global-data sections, with type, sizes and flags from
/// libbpf's view of the compiled object (the IR alone cannot tell <c>__uint(type, ...)</c> from
/// <c>__uint(max_entries, ...)</c>: both are <c>[N x i32]*</c> fields).
/// </summary>
public sealed class MapModel
{
    private readonly Dictionary<LlvmGlobal, MapDefinition> _byGlobal;

    private MapModel(IReadOnlyList<MapDefinition> maps, IReadOnlyList<LibbpfProgram> programs,
        IReadOnlyDictionary<string, int> subprograms, string? libbpfProblem)
    {
        Maps = maps;
        LibbpfPrograms = programs;
        SubprogramInstructions = subprograms;
        LibbpfProblem = libbpfProblem;
        _byGlobal = [];
        foreach (var map in maps)
            foreach (var global in map.Globals)
                _byGlobal[global] = map;
    }

    public IReadOnlyList<MapDefinition> Maps { get; }
    /// <summary>The programs libbpf found in the object (name, section, type, BPF instruction count).</summary>
    public IReadOnlyList<LibbpfProgram> LibbpfPrograms { get; }
    /// <summary>The BPF instruction count of each <c>.text</c> function (subprogram) in the compiled object, by name.
    /// libbpf counts a program's own section only; the subprograms it calls are appended when it is loaded.</summary>
    public IReadOnlyDictionary<string, int> SubprogramInstructions { get; }
    /// <summary>Why libbpf's view is missing (the object did not compile or open), or null.</summary>
    public string? LibbpfProblem { get; }

    public MapDefinition? ForGlobal(LlvmGlobal global) => _byGlobal.GetValueOrDefault(global);
    public MapDefinition? Find(string name) => Maps.FirstOrDefault(m => m.Name == name);

    /// <summary>Builds the model. <paramref name="objectName"/> is what libbpf prefixes global-data maps with.</summary>
    public static MapModel Build(LlvmModule module, string objectName)
    {
        var defined = module.Globals.Where(g => g.Section == ".maps" && !g.IsDeclaration).ToList();
        var data = module.Globals.Where(g => DataSection(g) is not null).ToList();
        string? problem = null;
        IReadOnlyList<LibbpfMap> libbpfMaps = [];
        IReadOnlyList<LibbpfProgram> libbpfPrograms = [];
        IReadOnlyDictionary<string, int> subprograms = new Dictionary<string, int>();
        try
        {
            (libbpfMaps, libbpfPrograms, subprograms) = LibbpfViewOf(module, objectName);
        }
        catch (KecleonException e) when (e is not LlvmFatalErrorException) // the module's context is abandoned: nothing goes on
        {
            problem = e.Message;
        }

        var maps = new List<MapDefinition>();
        foreach (var global in defined)
        {
            var view = libbpfMaps.FirstOrDefault(m => !m.IsInternal && m.Name == global.Name);
            maps.Add(new MapDefinition(global.Name, MapOrigin.Defined, [global])
            {
                Type = view?.Type,
                KeySize = view?.KeySize ?? 0,
                ValueSize = view?.ValueSize ?? 0,
                MaxEntries = view?.MaxEntries ?? 0,
                Flags = view?.Flags ?? BpfMapFlags.None,
                InitialInnerMaps = InnerMapsOf(global),
            });
        }
        foreach (var group in data.GroupBy(g => DataSection(g)!).OrderBy(g => SectionOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var section = group.Key;
            var view = libbpfMaps.FirstOrDefault(m => m.IsInternal && m.Name.EndsWith(section, StringComparison.Ordinal))
                       ?? (section.StartsWith(".rodata", StringComparison.Ordinal)
                           ? libbpfMaps.FirstOrDefault(m => m.IsInternal && m.Name.EndsWith(".rodata", StringComparison.Ordinal))
                           : null);
            maps.Add(new MapDefinition(view?.Name ?? section, MapOrigin.GlobalData, group.ToList())
            {
                Section = section,
                Type = view?.Type ?? BpfMapType.Array,
                KeySize = view?.KeySize ?? 4,
                ValueSize = view?.ValueSize ?? 0,
                MaxEntries = view?.MaxEntries ?? 1,
                // libbpf freezes .rodata and .kconfig and makes them read-only for programs.
                Flags = view?.Flags ?? (section.StartsWith(".rodata", StringComparison.Ordinal) || section == ".kconfig"
                    ? BpfMapFlags.ReadOnlyProgram : BpfMapFlags.None),
            });
        }
        return new MapModel(maps, libbpfPrograms, subprograms, problem);
    }

    /// <summary>The data section libbpf puts a global in, or null when it is not program data (the license, a
    /// <c>.maps</c> definition, LLVM's own bookkeeping).</summary>
    internal static string? DataSection(LlvmGlobal global)
    {
        if (global.Name.StartsWith("llvm.", StringComparison.Ordinal))
            return null;
        var section = global.Section;
        if (global.IsDeclaration)
            return section == ".kconfig" || section.Length == 0 ? ".kconfig" : null;
        if (section.Length > 0)
            return section.StartsWith(".rodata", StringComparison.Ordinal) || section.StartsWith(".data", StringComparison.Ordinal)
                   || section.StartsWith(".bss", StringComparison.Ordinal) ? section : null;
        if (global.IsConstant)
            return ".rodata";
        return global.Initializer is { IsNull: false } init && !init.IsNullValue ? ".data" : ".bss";
    }

    private static int SectionOrder(string section) =>
        section.StartsWith(".rodata", StringComparison.Ordinal) ? 0 : section.StartsWith(".data", StringComparison.Ordinal) ? 1
        : section.StartsWith(".bss", StringComparison.Ordinal) ? 2 : 3;

    /// <summary>Inner maps named in a map-in-map definition's initializer.</summary>
    private static IReadOnlyList<string> InnerMapsOf(LlvmGlobal global)
    {
        var init = global.Initializer;
        if (init.IsNull || init.IsNullValue)
            return [];
        var names = new List<string>();
        var work = new Stack<LlvmValue>([init]);
        var seen = new HashSet<LlvmValue>();
        while (work.Count > 0)
        {
            var value = work.Pop();
            if (!seen.Add(value))
                continue;
            if (value.IsGlobalVariable)
            {
                if (value.AsGlobal().Section == ".maps" && value != global.Value)
                    names.Add(value.Name);
                continue;
            }
            foreach (var operand in value.Operands)
                work.Push(operand);
        }
        return names.Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    /// <summary>libbpf's views of the objects compiled lately, by object name and the module's bitcode: the view is the
    /// module's alone, and making it compiles the whole module (12–13 ms of the firewall sample's 16–17 ms analysis), which
    /// a daemon's every cycle would pay again on the same IR. Bounded: emptied once it holds <see cref="ViewsKept"/>.</summary>
    private static readonly ConcurrentDictionary<(string ObjectName, string Bitcode), LibbpfView> Views = new();
    private const int ViewsKept = 64;

    private static LibbpfView LibbpfViewOf(LlvmModule module, string objectName)
    {
        var key = (objectName, Convert.ToHexString(SHA256.HashData(module.ToBitcode())));
        if (Views.TryGetValue(key, out var view))
            return view;
        view = ReadLibbpfView(module, objectName);
        if (Views.Count >= ViewsKept)
            Views.Clear();
        Views[key] = view;
        return view;
    }

    private static LibbpfView ReadLibbpfView(LlvmModule module, string objectName)
    {
        byte[] elf;
        using (var clone = module.Clone())
        using (var target = LlvmTargetMachine.CreateBpf())
        {
            target.Configure(clone);
            elf = target.EmitObject(clone);
        }
        using var obj = BpfObject.Open(elf, objectName);
        var maps = obj.Maps.Select(m => new LibbpfMap(m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, m.IsInternal)).ToList();
        var programs = obj.Programs.Select(p => new LibbpfProgram(p.Name, p.Section, p.Type, p.InstructionCount)).ToList();
        return new LibbpfView(maps, programs, TextFunctionSizes(elf));
    }

    private static Dictionary<string, int> TextFunctionSizes(byte[] elf)
    {
        var sizes = new Dictionary<string, int>();
        using var reader = ELFSharp.ELF.ELFReader.Load(new MemoryStream(elf), shouldOwnStream: true);
        if (reader.Sections.OfType<ELFSharp.ELF.Sections.ISymbolTable>().FirstOrDefault() is not { } symbols)
            return sizes;
        foreach (var symbol in symbols.Entries.OfType<ELFSharp.ELF.Sections.SymbolEntry<ulong>>())
            if (symbol.Type == ELFSharp.ELF.Sections.SymbolType.Function && symbol.PointedSection?.Name == ".text")
                sizes[symbol.Name] = checked((int)(symbol.Size / 8));
        return sizes;
    }

    private sealed record LibbpfView(IReadOnlyList<LibbpfMap> Maps, IReadOnlyList<LibbpfProgram> Programs, IReadOnlyDictionary<string, int> Subprograms);

    private sealed record LibbpfMap(string Name, BpfMapType Type, int KeySize, int ValueSize, int MaxEntries, BpfMapFlags Flags, bool IsInternal);
}

/// <summary>A program as libbpf sees the compiled object.</summary>
public sealed record LibbpfProgram(string Name, string Section, BpfProgramType Type, int InstructionCount);
