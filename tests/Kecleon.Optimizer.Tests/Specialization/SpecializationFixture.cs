using System.Text.Json;
using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;
using Kecleon.Tests;

namespace Kecleon.Optimizer.Tests.Specialization;

/// <summary>
/// One optimizer fixture, kernel-free: <c>NAME.ll</c> (compiled from <c>NAME.c</c> by <c>scripts/fixtures</c>) parsed and
/// analysed, and the request the runtime would make, read from <c>NAME.json</c>:
/// <code>
/// { "snapshots":          { "MAP": { "slot": 3, "version": 7, "entries": [ { "key": "0008", "value": "02000000" } ] } },
///   "hot_key_snapshots":  { "MAP": { ... } },          // the profile's hot keys of a map too large to read whole
///   "written_elsewhere":  [ "MAP" ],                    // maps another loaded program writes
///   "fallback_index":     { "PROGRAM": 1 },
///   "limits":             { "max_unrolled_lpm_ranges": 64 } }   // InliningLimits, snake_case; absent: the defaults
/// </code>
/// Keys and values are hex, in the map's memory order (as <c>bpftool map dump</c> prints them). A map's type and sizes
/// come from its definition in the IR, as they would from the loaded map. <c>NAME.profile.json</c>, when present, is
/// the profile (the format <c>kecleon profile</c> writes).
/// </summary>
internal sealed class SpecializationFixture : IDisposable
{
    public static string Directory { get; } =
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Optimizer.Tests", "Fixtures");

    private readonly LlvmContext _context;

    public SpecializationFixture(string name)
    {
        Name = name;
        _context = LlvmContext.Create();
        Module = ProgramSource.Read(Path.Combine(Directory, name + ".ll")).Parse(_context);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, name + ".json")));
        var root = json.RootElement;
        var writtenElsewhere = Strings(root, "written_elsewhere").ToHashSet();
        Analysis = ProgramAnalysis.Analyze(Module, new AnalysisOptions { ObjectName = name, WrittenByOtherPrograms = writtenElsewhere });
        var profilePath = Path.Combine(Directory, name + ".profile.json");
        Request = new SpecializationRequest(Snapshots(root, "snapshots"))
        {
            HotKeySnapshots = Snapshots(root, "hot_key_snapshots"),
            WrittenElsewhere = writtenElsewhere,
            FallbackIndex = root.TryGetProperty("fallback_index", out var fallback)
                ? fallback.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32())
                : new Dictionary<string, int>(),
            Limits = root.TryGetProperty("limits", out var limits)
                ? limits.Deserialize<InliningLimits>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow })!
                : InliningLimits.Default,
            Profile = File.Exists(profilePath) ? Profile.Load(profilePath) : null,
        };
    }

    public string Name { get; }
    public LlvmModule Module { get; }
    public ProgramAnalysis Analysis { get; }
    public SpecializationRequest Request { get; }

    /// <summary>Snapshots built from the fixture's entries and the map definitions in the IR: what the runtime reads
    /// from a live map, without one.</summary>
    private Dictionary<string, MapSnapshot> Snapshots(JsonElement root, string property)
    {
        var snapshots = new Dictionary<string, MapSnapshot>();
        if (!root.TryGetProperty(property, out var maps))
            return snapshots;
        foreach (var map in maps.EnumerateObject())
        {
            var definition = Analysis.Maps.Maps.SingleOrDefault(m => m.Name == map.Name)
                ?? throw new InvalidOperationException($"{Name}.json: the program has no map {map.Name}");
            var entries = map.Value.GetProperty("entries").EnumerateArray()
                .Select(e => (Key: Convert.FromHexString(e.GetProperty("key").GetString()!), Value: Convert.FromHexString(e.GetProperty("value").GetString()!)))
                .ToList();
            if (entries.FirstOrDefault(e => e.Key.Length != definition.KeySize || e.Value.Length != definition.ValueSize) is { Key: not null } wrong)
                throw new InvalidOperationException($"{Name}.json: {map.Name} has {definition.KeySize}-byte keys and {definition.ValueSize}-byte values, not {wrong.Key.Length} and {wrong.Value.Length}");
            snapshots[map.Name] = new MapSnapshot(map.Name, definition.Type!.Value, definition.KeySize, definition.ValueSize, definition.MaxEntries,
                entries, map.Value.GetProperty("slot").GetInt32(), map.Value.GetProperty("version").GetUInt64());
        }
        return snapshots;
    }

    private static IEnumerable<string> Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var array) ? array.EnumerateArray().Select(e => e.GetString()!) : [];

    public void Dispose()
    {
        Analysis.Dispose();
        Module.Dispose();
        _context.Dispose();
    }
}
