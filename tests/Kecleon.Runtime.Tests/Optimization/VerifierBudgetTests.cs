using Kecleon.Optimizer.Planning;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>The verifier budget as measured on the loaded result: over it, the cycle backs off a bounded number of
/// times, each a step; the sites it dropped are remembered, so a next cycle (the daemon's) starts from what fit.</summary>
[Trait("Tier", "Kernel")]
public sealed class VerifierBudgetTests
{
    [Fact]
    public void Over_the_budget_the_cycle_backs_off_and_a_next_cycle_starts_from_what_fit()
    {
        using var setup = new LiveSample("balancer", "budget");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 100, 4);

        // A budget no specialized program fits: every try backs off, at most MaxVerifierBackOffs times.
        OptimizationReport first;
        using (var optimized = setup.Optimize(trace, new OptimizeOptions { VerifierTarget = 1 }))
        {
            first = optimized.Report;
            Assert.True(first.Check!.Equivalent);
        }
        var backOffs = first.Steps.Where(s => s.Pass == "verifier-budget" && s.What.StartsWith("back-off ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(backOffs);
        Assert.All(backOffs, s => Assert.Contains("the verifier processed", s.What, StringComparison.Ordinal));
        Assert.True(backOffs.Max(s => int.Parse(s.What["back-off ".Length..].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture))
                    <= OptimizeOptions.Default.MaxVerifierBackOffs);
        Assert.NotEmpty(first.BackedOff);
        Assert.All(first.BackedOff.Values, r => Assert.Equal(PlanReasonKind.VerifierBackOff, r.Kind));

        // Remembered: the next cycle drops the same sites from the start and backs off no more.
        using var again = setup.Optimize(trace, new OptimizeOptions { BackedOff = first.BackedOff });
        Assert.True(again.Report.Check!.Equivalent);
        Assert.DoesNotContain(again.Report.Steps, s => s.What.StartsWith("back-off ", StringComparison.Ordinal));
        Assert.Contains(again.Report.Steps, s => s.What.StartsWith("the loaded result cost the verifier", StringComparison.Ordinal));
        foreach (var (site, _) in first.BackedOff)
            Assert.Equal(SiteStrategy.Leave, again.Report.Plan!.For(site).Strategy);
    }
}
