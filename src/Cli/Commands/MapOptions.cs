using System.CommandLine;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>--maps-from PROG_ID|PIN_DIR</c> and <c>--maps FILE|DIR</c>: the real map contents a user's own program
/// runs on, on every command that runs one (<see cref="MapSource"/>); without them, a warning naming its empty maps.</summary>
internal sealed class MapOptions
{
    public Option<string?> From { get; } = new("--maps-from")
    {
        Description = "Run your program on copies of the maps of this loaded program (an id, `bpftool prog show`) or of the maps pinned in this folder",
    };

    public Option<string?> Dump { get; } = new("--maps")
    {
        Description = "Run your program on these map contents: `bpftool map dump -j` output, one file per map (named after it) or one file keyed by map name, or a folder of them (`kecleon snapshot`)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(Dump);
    }

    /// <summary>The source asked for, read now (null: none). Both options at once are a usage error.</summary>
    public MapSource? Source(ParseResult result)
    {
        var (from, dump) = (result.GetValue(From), result.GetValue(Dump));
        if (from is not null && dump is not null)
            throw new UsageException("--maps-from and --maps both give the program its maps: choose one");
        if (dump is not null)
            return MapDump.Read(dump);
        if (from is null)
            return null;
        if (from.Length == 0)
            throw new UsageException("--maps-from needs a program id or a folder of pinned maps");
        if (from.All(char.IsAsciiDigit))
            return uint.TryParse(from, out var id) && id > 0 ? MapSource.FromProgram(id) : throw new UsageException($"--maps-from {from}: not a program id");
        return MapSource.FromPinFolder(CommandFiles.PinFolder(from, "--maps-from"));
    }

    /// <summary>Whether either option was given.</summary>
    public bool Given(ParseResult result) => result.GetValue(From) is not null || result.GetValue(Dump) is not null;

    /// <summary>
    /// The contents <paramref name="source"/> gives the object <paramref name="elf"/> (checked against its maps), with
    /// what could not be copied printed as notes; without a source, empty contents and the warning on empty maps
    /// (printed, and returned for a JSON report).
    /// </summary>
    public static (ControlPlaneData ControlPlane, IReadOnlyList<string> Warnings) ControlPlane(MapSource? source, byte[] elf, string name)
    {
        using var obj = BpfObject.Open(elf, name);
        return ControlPlane(source, obj);
    }

    /// <inheritdoc cref="ControlPlane(MapSource?, byte[], string)"/>
    public static (ControlPlaneData ControlPlane, IReadOnlyList<string> Warnings) ControlPlane(MapSource? source, BpfObject obj)
    {
        var (data, warnings, notes) = Read(source, obj);
        foreach (var line in warnings.Select(w => $"kecleon: warning: {w}").Concat(notes))
            Progress.Line(line);
        return (data, warnings);
    }

    /// <summary>The same, the warnings and notes returned instead of printed.</summary>
    public static (ControlPlaneData ControlPlane, IReadOnlyList<string> Warnings, IReadOnlyList<string> Notes) Read(MapSource? source, BpfObject obj)
    {
        if (source is null)
        {
            var empty = MapSource.EmptyMaps(obj, null);
            return (new ControlPlaneData(), empty.Count == 0 ? [] : [EmptyWarning(obj.Name, empty)], []);
        }
        var notes = new List<string>();
        var data = source.ToControlPlane(obj, notes);
        notes = notes.Select(n => $"note: {n}").ToList();
        notes.Add($"maps from {source.Description}: " + (data.MapNames.Count == 0 ? "no entries"
            : string.Join(", ", data.MapNames.Select(m => $"{m} {data.Entries(m).Count}"))));
        return (data, [], notes);
    }

    /// <summary>The one line said whenever a user's program runs on empty maps.</summary>
    public static string EmptyWarning(string program, IReadOnlyList<string> maps) =>
        $"{program} runs on empty maps ({string.Join(", ", maps)}): give --maps-from PROG_ID|PIN_DIR or --maps FILE|DIR to run it on real contents";
}
