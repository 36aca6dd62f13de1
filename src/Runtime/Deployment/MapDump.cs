using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// Map contents in the JSON <c>bpftool map dump -j</c> prints, read (<c>--maps FILE|DIR</c>) and written
/// (<c>kecleon snapshot</c>). A dump is an array of entries, each a key and a value as arrays of hex byte strings
/// (<c>{"key":["0x0a","0x00",...],"value":[...]}</c>), a per-CPU map's value as <c>"values":[{"cpu":0,"value":[...]},
/// ...]</c>; the <c>"formatted"</c> form bpftool adds from BTF is ignored (the bytes beside it are what a map holds), and
/// so is an entry whose value is <c>{"error": ...}</c> (an empty slot bpftool could not read).
/// A file holds one map (its name: the file name, without <c>.json</c>) or an object keyed by map name whose values are
/// such arrays; a folder holds one file per map.
/// </summary>
public static class MapDump
{
    private const string Hint = "Kecleon reads what `bpftool map dump -j` prints (docs/bench.md, \"Running on real maps\").";

    /// <summary>The maps of a dump file or a folder of them (every regular file, hidden ones aside, in name order).</summary>
    public static MapSource Read(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new InvalidInputException($"--maps {path}: the folder holds no dump files. {Hint}");
            return new MapSource(path, files.SelectMany(ReadFile).ToList(), Strict: true);
        }
        if (!File.Exists(path))
            throw new InputNotFoundException($"--maps {path}: no such file or folder (map dumps)");
        return new MapSource(path, ReadFile(path), Strict: true);
    }

    private static IReadOnlyList<MapContents> ReadFile(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: not JSON: {e.Message} {Hint}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputNotFoundException($"{path}: cannot read it: {e.Message}");
        }
        return root switch
        {
            JsonArray entries => [Map(MapName(path), path, entries)],
            JsonObject byName => byName.Select(p => p.Value is JsonArray entries
                ? Map(p.Key, path, entries)
                : throw new InvalidInputException($"{path}: map {p.Key}: expected an array of entries as `bpftool map dump -j` prints, not {Kind(p.Value)}. {Hint}")).ToList(),
            _ => throw new InvalidInputException($"{path}: expected an array of map entries, or an object of them keyed by map name, not {Kind(root)}. {Hint}"),
        };
    }

    /// <summary>A dump file's map: its name without <c>.json</c>.</summary>
    private static string MapName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^".json".Length] : name;
    }

    private static MapContents Map(string name, string path, JsonArray entries)
    {
        var origin = $"{path}";
        var list = new List<MapContentsEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var where = $"{path}: map {name}, entry {i}";
            if (entries[i] is not JsonObject entry)
                throw new InvalidInputException($"{where}: expected an object with \"key\" and \"value\", not {Kind(entries[i])}. {Hint}");
            if (entry["key"] is null && entry["formatted"] is not null)
                throw new InvalidInputException($"{where}: only the BTF-formatted form is there; Kecleon reads the hex bytes (\"key\", \"value\") bpftool prints beside it. {Hint}");
            var key = Bytes(entry["key"], $"{where}: \"key\"");
            IReadOnlyList<byte[]> values;
            if (entry["values"] is JsonArray perCpu)
            {
                var byCpu = new SortedDictionary<int, byte[]>();
                foreach (var item in perCpu)
                {
                    if (item is not JsonObject slot || slot["cpu"] is not JsonValue cpuNode || !cpuNode.TryGetValue<int>(out var cpu) || cpu < 0)
                        throw new InvalidInputException($"{where}: \"values\": expected {{\"cpu\": N, \"value\": [...]}} for each CPU. {Hint}");
                    if (!byCpu.TryAdd(cpu, Bytes(slot["value"], $"{where}: CPU {cpu}'s \"value\"")))
                        throw new InvalidInputException($"{where}: \"values\" names CPU {cpu} twice");
                }
                values = Enumerable.Range(0, byCpu.Count == 0 ? 0 : byCpu.Keys.Max() + 1)
                    .Select(cpu => byCpu.GetValueOrDefault(cpu) ?? new byte[byCpu.Values.First().Length]).ToList();
            }
            else
            {
                // bpftool lists every slot of a devmap, PROG_ARRAY, cpumap or xskmap and prints an error for the empty
                // ones: an absent entry, not a bad dump.
                if (entry["value"] is JsonObject { } failed && failed["error"] is not null)
                    continue;
                values = [Bytes(entry["value"], $"{where}: \"value\"")];
            }
            list.Add(new MapContentsEntry(key, values));
        }
        return new MapContents(name, origin, null, list);
    }

    /// <summary>Hex byte strings (<c>"0x0a"</c>), as bpftool prints them; plain numbers 0–255 are taken too.</summary>
    private static byte[] Bytes(JsonNode? node, string where)
    {
        if (node is not JsonArray array)
            throw new InvalidInputException($"{where}: expected an array of bytes like [\"0x0a\", \"0x00\"], not {Kind(node)}. {Hint}");
        var bytes = new byte[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i] as JsonValue;
            if (item is not null && item.TryGetValue<string>(out var text)
                && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && byte.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                bytes[i] = b;
            else if (item is not null && item.TryGetValue<int>(out var n) && n is >= 0 and <= 255)
                bytes[i] = (byte)n;
            else
                throw new InvalidInputException($"{where}: byte {i} is {array[i]?.ToJsonString() ?? "null"}, not a byte like \"0x0a\"");
        }
        return bytes;
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// <c>kecleon snapshot</c>: writes each map of <paramref name="source"/> to <c>NAME.json</c> in
    /// <paramref name="folder"/> as bpftool prints it. Maps whose contents a copy does not take (a PROG_ARRAY, a map of
    /// maps, a ring buffer) and read-only data (part of the program) are left out. Returns each file written with its
    /// entries, and the maps left out with why.
    /// </summary>
    public static (IReadOnlyList<(string File, int Entries)> Written, IReadOnlyList<string> LeftOut) WriteFolder(MapSource source, string folder)
    {
        var written = new List<(string, int)>();
        var leftOut = new List<string>();
        foreach (var map in source.Maps)
        {
            var type = map.Type ?? throw new ArgumentException($"map {map.Name} from {source.Description} has no known type", nameof(source));
            if (LoadedVariant.GlobalDataSection(map.Name) is { } section && !GlobalDataLayout.IsWritable(section))
            {
                leftOut.Add($"{map.Name}: read-only data, part of the program");
                continue;
            }
            if (Checking.MapKindTreatment.Find(type)?.Copy != Checking.CheckCopy.Entries)
            {
                leftOut.Add($"{map.Name}: a {Checking.MapKindTreatment.Describe(type)}, whose contents Kecleon does not copy");
                continue;
            }
            var file = Path.Combine(folder, map.Name + ".json");
            File.WriteAllText(file, Json(map, Bpf.BpfTypeExtensions.IsPerCpu(type)));
            written.Add((file, map.Entries.Count));
        }
        return (written, leftOut);
    }

    /// <summary>One map's entries as <c>bpftool map dump -j</c> prints them (one line).</summary>
    public static string Json(MapContents map, bool perCpu)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < map.Entries.Count; i++)
        {
            var entry = map.Entries[i];
            text.Append(i == 0 ? "{" : ",{").Append("\"key\":");
            Hex(text, entry.Key);
            if (perCpu)
            {
                text.Append(",\"values\":[");
                for (var cpu = 0; cpu < entry.Values.Count; cpu++)
                {
                    text.Append(cpu == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"cpu\":{cpu},\"value\":");
                    Hex(text, entry.Values[cpu]);
                    text.Append('}');
                }
                text.Append(']');
            }
            else
            {
                text.Append(",\"value\":");
                Hex(text, entry.Values[0]);
            }
            text.Append('}');
        }
        return text.Append("]\n").ToString();
    }

    private static void Hex(StringBuilder text, byte[] bytes)
    {
        text.Append('[');
        for (var i = 0; i < bytes.Length; i++)
            text.Append(i == 0 ? "\"0x" : ",\"0x").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture)).Append('"');
        text.Append(']');
    }
}
