using System.Text;
using System.Text.RegularExpressions;

namespace Kecleon.Tests;

/// <summary>
/// Golden files for fixture-driven tests: <c>Fixtures/NAME.c</c> (with its <c>NAME.ll</c>) in, <c>NAME.expected.*</c>
/// out. <c>KECLEON_UPDATE_GOLDEN=1</c> rewrites the expected files instead of comparing (then review the diff).
/// </summary>
internal static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("KECLEON_UPDATE_GOLDEN") == "1";

    /// <summary>Compares <paramref name="actual"/> with the file at <paramref name="expectedPath"/> (or writes it when
    /// updating). On a mismatch the message names the first differing line, since IR goldens are long.</summary>
    public static void Check(string expectedPath, string actual)
    {
        if (Updating)
            File.WriteAllText(expectedPath, actual);
        var name = Path.GetFileName(expectedPath);
        Xunit.Assert.True(File.Exists(expectedPath), $"{name} is missing; run the tests with KECLEON_UPDATE_GOLDEN=1 and review it");
        var expected = File.ReadAllText(expectedPath);
        if (expected == actual)
            return;
        Xunit.Assert.Fail($"{name} differs {FirstDifference(expected, actual)}\n(KECLEON_UPDATE_GOLDEN=1 rewrites it; review the diff)");
    }

    /// <summary>"at line N" with both lines, for a failure message.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        return $"at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}";
    }

    /// <summary>The fixture names of <paramref name="directory"/>: its <c>.c</c> files, in order.</summary>
    public static IReadOnlyList<string> Fixtures(string directory) =>
        Directory.GetFiles(directory, "*.c").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Asserts that every fixture has each of <paramref name="companions"/> (suffixes such as <c>.ll</c> or
    /// <c>.expected.ll</c>) and that every file in the folder belongs to a fixture: an expectation without its fixture
    /// fails as well as a fixture without its expectation.</summary>
    public static void AssertEveryFixtureIsComplete(string directory, params string[] companions)
    {
        var fixtures = Fixtures(directory).ToHashSet();
        Xunit.Assert.NotEmpty(fixtures);
        var missing = fixtures.SelectMany(f => companions.Select(c => f + c)).Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
        Xunit.Assert.True(missing.Count == 0, $"missing: {string.Join(", ", missing)}");
        var stray = Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>()
            .Where(f => !fixtures.Any(x => f == x + ".c" || companions.Any(c => f == x + c) || f.StartsWith(x + ".", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal)))
            .ToList();
        Xunit.Assert.True(stray.Count == 0, $"files with no fixture: {string.Join(", ", stray)}");
    }
}

/// <summary>
/// LLVM IR text made comparable across runs and machines: debug information (locations, <c>llvm.dbg.*</c> calls, the
/// metadata nodes, file names) and comments (the predecessors of a block too) are dropped; branch weights stay, written out in place of their node
/// number; other metadata attachments keep only their kind.
/// </summary>
internal static partial class IrText
{
    public static string Normalize(string ir)
    {
        var nodes = new Dictionary<string, string>();
        foreach (var line in ir.Split('\n'))
            if (MetadataNode().Match(line) is { Success: true } m)
                nodes[m.Groups[1].Value] = m.Groups[2].Value;
        var text = new StringBuilder();
        foreach (var raw in ir.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.StartsWith(';') || line.StartsWith('!') || line.StartsWith("source_filename", StringComparison.Ordinal)
                || line.Contains("@llvm.dbg.", StringComparison.Ordinal))
                continue;
            line = PredecessorsComment().Replace(line, "$1"); // their order is the use lists', which differs between text and bitcode
            line = DebugAttachment().Replace(line, "");
            line = Attachment().Replace(line, m => m.Groups[1].Value == "prof" && nodes.TryGetValue(m.Groups[2].Value, out var node)
                ? $", !prof {node}"
                : $", !{m.Groups[1].Value}");
            text.Append(line).Append('\n');
        }
        // Blank lines left where whole groups of lines went.
        return BlankLines().Replace(text.ToString(), "\n\n").Trim('\n') + "\n";
    }

    [GeneratedRegex(@"^!(\d+) = (?:distinct )?(.*)$")]
    private static partial Regex MetadataNode();

    [GeneratedRegex(@"^(\S+:)\s+; preds = .*$")]
    private static partial Regex PredecessorsComment();

    [GeneratedRegex(@",? !dbg !\d+")]
    private static partial Regex DebugAttachment();

    [GeneratedRegex(@", !([\w.]+) !(\d+)")]
    private static partial Regex Attachment();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}

/// <summary>The IR fixtures checked in beside their C (<c>scripts/fixtures</c> makes them).</summary>
internal static class FixtureIr
{
    /// <summary>Asserts that <c>NAME.ll</c> is what clang makes of <c>NAME.c</c> today, debug information aside: a
    /// fixture's C edited without running <c>scripts/fixtures</c> fails here rather than testing stale IR.</summary>
    public static void AssertCurrent(string directory, string fixture)
    {
        // Two contexts: a second module in one context would get its struct types renamed (%struct.xdp_md.0).
        using var contextA = Kecleon.Llvm.LlvmContext.Create();
        using var contextB = Kecleon.Llvm.LlvmContext.Create();
        using var checkedIn = Kecleon.FrontEnd.ProgramSource.Read(Path.Combine(directory, fixture + ".ll")).Parse(contextA);
        using var fresh = Kecleon.FrontEnd.ProgramSource.Read(Path.Combine(directory, fixture + ".c")).Parse(contextB);
        var (expected, actual) = (IrText.Normalize(checkedIn.ToString()), IrText.Normalize(fresh.ToString()));
        Xunit.Assert.True(expected == actual,
            $"{fixture}.ll is not what clang makes of {fixture}.c (run scripts/fixtures): {Golden.FirstDifference(expected, actual)}");
    }
}
