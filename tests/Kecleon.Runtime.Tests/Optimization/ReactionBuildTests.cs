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
    public void A_reaction_leaves_the_maps_written_since_the_full_build_and_the_full_build_leaves_none()
    {
        var written = new HashSet<string> { "conntrack" };
        Assert.Equal(written, OptimizationCycle.LimitsFor(new OptimizeOptions { Reaction = true, WrittenSinceFullBuild = written }, 1000).WrittenMapsLeft);
        Assert.Empty(OptimizationCycle.LimitsFor(new OptimizeOptions { WrittenSinceFullBuild = written }, 1000).WrittenMapsLeft);
        Assert.Empty(OptimizationCycle.LimitsFor(new OptimizeOptions { Reaction = true }, 1000).WrittenMapsLeft);
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
    public void A_key_table_keeps_within_the_widest_bucket_index_and_is_made_once_per_snapshot_and_width()
    {
        // 20,000 keys spread over the 32-bit space, in no order, as a hash map gives them up.
        var random = new Random(5);
        var keys = Enumerable.Range(0, 20_000).Select(i => (uint)random.NextInt64(0, uint.MaxValue)).Distinct().ToList();
        var snapshot = new MapSnapshot("hosts", Kecleon.Bpf.BpfMapType.Hash, 4, 4, 65536,
            keys.Select(k => (BitConverter.GetBytes(k), BitConverter.GetBytes(1u))).ToList(), 0, 0);
        var narrow = Kecleon.Optimizer.Planning.Eligibility.KeyTable(snapshot, OptimizeOptions.ReactionBucketBits)!;
        var wide = Kecleon.Optimizer.Planning.Eligibility.KeyTable(snapshot)!;
        Assert.True(narrow.Plan!.BucketBits <= OptimizeOptions.ReactionBucketBits);
        Assert.True(wide.Plan!.BucketBits > OptimizeOptions.ReactionBucketBits, $"the default plan takes {wide.Plan.BucketBits} bucket bits");
        Assert.Same(narrow, Kecleon.Optimizer.Planning.Eligibility.KeyTable(snapshot, OptimizeOptions.ReactionBucketBits));
        // Each key a range of one, in key order, answered by its own entry.
        var sorted = keys.Order().ToList();
        var starts = narrow.Ranges.Where(r => r.Entry >= 0).Select(r => r.Start).ToList();
        Assert.Equal(sorted, starts);
        Assert.All(narrow.Ranges.Where(r => r.Entry >= 0), r => Assert.Equal(r.Start, BitConverter.ToUInt32(snapshot.Entries[r.Entry].Key)));
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
