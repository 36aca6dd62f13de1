using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Instrumentation.Tests.Profiling;

/// <summary>
/// Golden tests of <see cref="InstrumentationPass"/>, with no kernel: each fixture (<c>Fixtures/NAME.c</c>, compiled to
/// <c>NAME.ll</c> by <c>scripts/fixtures</c>) is instrumented with the options in <c>NAME.json</c>
/// (<c>"live": true</c> for <see cref="InstrumentationOptions.Live"/> over the defaults, any of <c>sample_shift</c>,
/// <c>branch_sample_shift</c>, <c>period_shift</c>, <c>inline_profiled_copy</c>, and <c>key_maps</c>: the maps whose lookups record
/// their keys). Out come the
/// instrumented IR (<c>NAME.expected.ll</c>, normalized by <see cref="IrText"/>, with the bodies of the linked
/// <c>profile_prelude.bpf.c</c> functions left out: their calls are what this pass makes) and the layout the runtime reads
/// the profile by (<c>NAME.expected.layout.txt</c>). <c>KECLEON_UPDATE_GOLDEN=1</c> rewrites both; review the diff.
/// </summary>
public sealed partial class InstrumentationGoldenTests
{
    private static string FixtureDirectory { get; } =
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Instrumentation.Tests", "Fixtures");

    public static TheoryData<string> Fixtures() => new(Golden.Fixtures(FixtureDirectory));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Ir_and_layout_match_the_expected(string fixture)
    {
        using var context = LlvmContext.Create();
        using var module = ProgramSource.Read(Path.Combine(FixtureDirectory, fixture + ".ll")).Parse(context);
        var fingerprint = Profile.IrFingerprint(module.ToString());
        var layout = InstrumentationPass.Run(module, OptionsOf(fixture), fingerprint);
        Assert.Null(module.Verify());
        Golden.Check(Path.Combine(FixtureDirectory, fixture + ".expected.ll"), WithoutPreludeBodies(IrText.Normalize(module.ToString())));
        Golden.Check(Path.Combine(FixtureDirectory, fixture + ".expected.layout.txt"), Render(layout));
    }

    /// <summary>Every fixture has its IR, its options and both expectations, and every expectation its fixture.</summary>
    [Fact]
    public void Every_fixture_has_its_expectations() =>
        Golden.AssertEveryFixtureIsComplete(FixtureDirectory, ".ll", ".json", ".expected.ll", ".expected.layout.txt");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_checked_in_ir_is_compiled_from_the_c_beside_it(string fixture) => FixtureIr.AssertCurrent(FixtureDirectory, fixture);

    private static InstrumentationOptions OptionsOf(string fixture)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, fixture + ".json")));
        var root = json.RootElement;
        var options = root.TryGetProperty("live", out var live) && live.GetBoolean() ? InstrumentationOptions.Live : InstrumentationOptions.Default;
        foreach (var p in root.EnumerateObject())
            options = p.Name switch
            {
                "live" => options,
                // The lookup sites whose keys are recorded: those of these maps (the runtime asks the planner instead).
                "key_maps" => options with { KeyProfileSites = KeySitesOf(p.Value.EnumerateArray().Select(m => m.GetString()!).ToHashSet()) },
                "sample_shift" => options with { SampleShift = p.Value.GetInt32() },
                "branch_sample_shift" => options with { BranchSampleShift = p.Value.GetInt32() },
                "period_shift" => options with { PeriodShift = p.Value.GetInt32() },
                "inline_profiled_copy" => options with { InlineProfiledCopy = p.Value.GetBoolean() },
                _ => throw new InvalidOperationException($"{fixture}.json: unknown option {p.Name}"),
            };
        return options;
    }

    private static Func<Analyses.ProgramAnalysis, IReadOnlySet<int>> KeySitesOf(IReadOnlySet<string> maps) =>
        analysis => analysis.LookupSites.Where(s => s.Maps.Count == 1 && maps.Contains(s.Maps[0].Name)).Select(s => s.Index).ToHashSet();

    private static string Render(InstrumentationLayout layout)
    {
        var text = new StringBuilder();
        text.Append($"program {layout.Program}, ir {layout.IrHash}\n");
        text.Append($"keys: 1 packet in {layout.SampleRate}, branches: 1 in {layout.BranchSampleRate}, counted: 1 in {layout.PacketRate}; ")
            .Append($"ring {layout.RingSlots} x {layout.KeyBytes}-byte keys\n");
        foreach (var site in layout.Sites)
            text.Append($"site #{site.Site} {site.Map} in {site.Function}, {site.KeySize}-byte key\n");
        foreach (var branch in layout.Branches)
            text.Append($"branch {branch.Index}: {branch.Function} block {branch.Block}, counters {2 * branch.Index} and {2 * branch.Index + 1}\n");
        return text.ToString();
    }

    /// <summary>The prelude's own functions keep their signatures; their bodies are the prelude's C, not this pass's.</summary>
    private static string WithoutPreludeBodies(string ir) => PreludeBody().Replace(ir, "$1\n  ; profile_prelude.bpf.c\n}");

    [GeneratedRegex(@"^(define [^\n]*@kecleon_prof_\w+\([^\n]*\{)\n(?:[^\n]*\n)*?\}", RegexOptions.Multiline)]
    private static partial Regex PreludeBody();
}
