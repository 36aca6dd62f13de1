using Kecleon.Passes;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Tests.Specialization;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Optimizer.Tests;

/// <summary>
/// Golden tests of the whole pass pipeline, through its public entry point (<see cref="Specializer.Specialize"/>), with
/// no kernel: each fixture (<c>Fixtures/NAME.c</c>, compiled to <c>NAME.ll</c>; its map contents and profile in
/// <c>NAME.json</c> and <c>NAME.profile.json</c>, see <see cref="SpecializationFixture"/>) exercises one rewrite. Out come
/// the optimized IR, after LLVM's cleanup (<see cref="Pipelines.AfterSpecialization"/>) as the BPF back end compiles it (<c>NAME.expected.ll</c>,
/// normalized by <see cref="IrText"/>; LLVM is pinned at 14, so only our passes move it), and the steps the passes
/// report (<c>NAME.expected.steps.txt</c>). <c>KECLEON_UPDATE_GOLDEN=1</c> rewrites both; review the diff.
/// </summary>
public sealed class SpecializerGoldenTests
{
    public static TheoryData<string> Fixtures() => new(Golden.Fixtures(SpecializationFixture.Directory));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Ir_and_steps_match_the_expected(string fixture)
    {
        using var input = new SpecializationFixture(fixture);
        var result = Specializer.Specialize(input.Module, input.Analysis, input.Request);
        Assert.Equal("\u007fELF"u8.ToArray(), result.Object.Elf[..4]);
        Golden.Check(Path.Combine(SpecializationFixture.Directory, fixture + ".expected.ll"), IrText.Normalize(input.Module.ToString()));
        Golden.Check(Path.Combine(SpecializationFixture.Directory, fixture + ".expected.steps.txt"), Render(result.Steps, result.SpecializedMaps));
    }

    /// <summary>Every fixture has its IR, its request and both expectations, and every expectation its fixture.</summary>
    [Fact]
    public void Every_fixture_has_its_expectations() =>
        Golden.AssertEveryFixtureIsComplete(SpecializationFixture.Directory, ".ll", ".json", ".expected.ll", ".expected.steps.txt");

    /// <summary>The checked-in IR is what <c>scripts/fixtures</c> makes of the C beside it today, debug information
    /// aside.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_checked_in_ir_is_compiled_from_the_c_beside_it(string fixture) =>
        FixtureIr.AssertCurrent(SpecializationFixture.Directory, fixture);

    /// <summary>One line per step: applied (+) or left (-), the pass, what, and where; then the maps guarded.</summary>
    internal static string Render(IEnumerable<PassStep> steps, IReadOnlySet<string> specializedMaps)
    {
        var text = new System.Text.StringBuilder();
        foreach (var step in steps)
            text.Append(step.Applied ? "+ " : "- ").Append(step.Pass).Append(": ").Append(step.What)
                .Append(step.Where.Length > 0 ? $"  @ {step.Where}" : "").Append('\n');
        text.Append("specialized maps: ").Append(specializedMaps.Count == 0 ? "none" : string.Join(", ", specializedMaps.Order(StringComparer.Ordinal))).Append('\n');
        return text.ToString();
    }
}
