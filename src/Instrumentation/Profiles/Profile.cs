using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kecleon.Instrumentation.Profiles;

/// <summary>
/// What a program's traffic did during one or more profiling windows: per lookup site the hottest keys, per conditional
/// branch how often each way was taken. Counts are estimates of packets (sampled counts scaled by the sampling rate)
/// after ageing, so two profiles of different windows compare. Sites and branches are named by what stays the same
/// across parses of the same IR: the helper-call site's index in the module (<c>#3</c> in reports) with its map and
/// function, and a conditional branch's function with the index of its block in function order.
/// </summary>
public sealed partial record Profile
{
    /// <summary>The file format's version; <see cref="Load"/> refuses others.</summary>
    public const int CurrentFormat = 1;

    /// <remarks>Members with a default have setters, not init: the JSON source generator would set an absent init-only
    /// member of a type with required members to null.</remarks>
    public int Format { get; set; } = CurrentFormat;
    /// <summary>The profiled program's entry function (its BPF program name).</summary>
    public required string Program { get; init; }
    /// <summary>A hash of the IR the profile was taken on (<see cref="IrFingerprint"/>), so a profile is not applied to a
    /// different program by mistake. Empty when unknown.</summary>
    public string IrHash { get; set; } = "";
    public DateTimeOffset Recorded { get; init; }
    /// <summary>How long the counters ran (the sum of the windows merged into this profile).</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Packets the program ran while profiled (an estimate when only sampled).</summary>
    public ulong Packets { get; init; }
    public IReadOnlyList<SiteProfile> Sites { get; set; } = [];
    public IReadOnlyList<BranchProfile> Branches { get; set; } = [];

    public SiteProfile? Site(int index) => Sites.FirstOrDefault(s => s.Site == index);

    /// <summary>The hash <see cref="IrHash"/> holds: SHA-256 of the program's IR text, first 16 hex digits. Comments, the
    /// source file name and debug metadata are left out, so the same program compiled from another directory or path
    /// has the same fingerprint.</summary>
    public static string IrFingerprint(string irText)
    {
        var code = new System.Text.StringBuilder();
        foreach (var line in irText.Split('\n'))
        {
            if (line.StartsWith(';') || line.StartsWith('!') || line.StartsWith("source_filename", StringComparison.Ordinal))
                continue;
            code.Append(MetadataReference().Replace(line, "")).Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code.ToString())))[..16];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"!\w*\s*!\d+|metadata !\d+|!\d+")]
    private static partial System.Text.RegularExpressions.Regex MetadataReference();

    public static Profile Load(string path)
    {
        var profile = JsonFile.Read(path, ProfileJson.Default.Profile, "a Kecleon profile", $"Record one with `kecleon profile --out {path}`.");
        if (profile.Format != CurrentFormat)
            throw new InvalidInputException($"{path} is a profile of format {profile.Format}; this Kecleon reads format {CurrentFormat}. Record it again.");
        return profile;
    }

    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        File.WriteAllText(path, ToJson());
    }

    public string ToJson() => JsonSerializer.Serialize(this, ProfileJson.Default.Profile);
}

/// <summary>The profile file's format (snake_case names, keys as hex strings), generated at build time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, Converters = [typeof(HexBytesConverter)])]
[JsonSerializable(typeof(Profile))]
internal sealed partial class ProfileJson : JsonSerializerContext;

/// <summary>The keys one lookup site saw, hottest first.</summary>
/// <param name="Site">The helper-call site's index in the module (<c>HelperCallSite.Index</c>).</param>
/// <param name="Map">The map looked up (the first, when several maps reach the site).</param>
/// <param name="Function">The function the site is in.</param>
/// <param name="Lookups">Estimated lookups at this site during the profile.</param>
/// <param name="Keys">The hottest keys with their estimated counts, descending; their sum may be below
/// <paramref name="Lookups"/> (the table keeps only the hottest).</param>
public sealed record SiteProfile(int Site, string Map, string Function, double Lookups, IReadOnlyList<HotKey> Keys)
{
    /// <summary>The share of this site's lookups that the first <paramref name="count"/> keys cover.</summary>
    public double Coverage(int count) => Lookups <= 0 ? 0 : Keys.Take(count).Sum(k => k.Count) / Lookups;
}

/// <summary>One key (the bytes the program passed to the lookup) and how often it was looked up.</summary>
public sealed record HotKey(byte[] Key, double Count);

/// <summary>A conditional branch: the block's terminator in <paramref name="Function"/>, block number
/// <paramref name="Block"/> in function order, and how often it went to its first and second successor.</summary>
public sealed record BranchProfile(string Function, int Block, double Taken, double NotTaken)
{
    public double Total => Taken + NotTaken;
}

/// <summary>Byte arrays as lowercase hex strings, so keys read the way <c>bpftool map dump</c> prints them.</summary>
internal sealed class HexBytesConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Convert.FromHexString(reader.GetString() ?? throw new JsonException("a key must be a hex string"));

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexStringLower(value));
}
