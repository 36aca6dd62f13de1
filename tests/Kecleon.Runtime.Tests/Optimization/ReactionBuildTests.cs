using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// A reaction's build (<see cref="OptimizeOptions.Reaction"/>) is made for time: table searches without branches and
/// with a smaller bucket index, selects as arithmetic, a shorter clean-up. It answers as the original does, and costs
/// the verifier less than the full build.
/// </summary>
public sealed class ReactionBuildTests
{
    [Fact]
    public void A_reactions_limits_search_tables_without_branches_and_with_a_smaller_bucket_index()
    {
        var full = OptimizationCycle.LimitsFor(new OptimizeOptions(), 1000);
        var reaction = OptimizationCycle.LimitsFor(new OptimizeOptions { Reaction = true }, 1000);
        Assert.Equal((InliningLimits.Default.MaxBranchingSearchSteps, RangeSearchPlan.MaxBucketBits), (full.MaxBranchingSearchSteps, full.MaxBucketBits));
        Assert.Equal((0, OptimizeOptions.ReactionBucketBits), (reaction.MaxBranchingSearchSteps, reaction.MaxBucketBits));
    }

    [Fact]
    public void A_search_plan_keeps_within_the_widest_bucket_index_it_is_given()
    {
        // 4,096 ranges spread over the whole address space: the finest buckets shorten the search most.
        var ranges = Enumerable.Range(0, 4096).Select(i => new LpmRanges.Range((uint)i << 20, i % 3 == 0 ? -1 : i)).ToList();
        var wide = RangeSearchPlan.Choose(ranges);
        var narrow = RangeSearchPlan.Choose(ranges, 8);
        Assert.True(wide.BucketBits > 8, $"the default plan takes {wide.BucketBits} bucket bits");
        Assert.True(narrow.BucketBits <= 8);
        Assert.True(narrow.Steps >= wide.Steps);
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void The_firewall_built_for_a_reaction_answers_as_the_original_and_costs_the_verifier_less()
    {
        using var setup = new LiveSample("firewall", "reaction_build");
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 300, 1);
        OptimizedProgram Build(bool reaction) => OptimizationCycle.Run(setup.Source, setup.Program,
            SampleFixtures.ClangObject(setup.Sample.Name), setup.Guards, packets, new OptimizeOptions
            {
                MaxProbePackets = 256,
                InPlaceData = true,
                Reaction = reaction,
            });
        using var full = Build(reaction: false);
        using var quick = Build(reaction: true);
        Assert.True(full.Report.Check!.Equivalent);
        Assert.True(quick.Report.Check!.Equivalent, "the reaction's build must answer as the original");
        Assert.NotNull(quick.Report.InPlace);
        var (_, fullVerified) = full.Report.VerifiedInstructions;
        var (_, quickVerified) = quick.Report.VerifiedInstructions;
        Assert.True(quickVerified * 2 < fullVerified, $"the verifier processed {fullVerified:N0} instructions of the full build, {quickVerified:N0} of the reaction's");
    }
}
