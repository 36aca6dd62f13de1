using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Bench.Live;
using Xunit;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>One resolution for the CLI and the daemon: an interface, a program id or a pin to a hook and its target, and
/// which program is the original there.</summary>
[Trait("Tier", "Kernel")]
public sealed class TargetResolverTests
{
    private static ProgramInput Input => new("swap_verdict.c", SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, null);

    [Fact]
    public void An_interface_that_runs_nothing_gets_the_input_attached_as_the_original()
    {
        using var pair = VethPair.Create();
        using (var resolved = TargetResolver.Resolve(new TargetSelector.Interface(pair.HostEnd), Input, pair.PinDirectory))
        {
            Assert.NotNull(resolved.Loaded);
            Assert.Equal(pair.HostEnd, resolved.AttachedTo);
            Assert.Same(resolved.Loaded, resolved.Original);
            Assert.Equal(resolved.Loaded.Program.Info().Id, resolved.Target.OriginalInfo.Id);
            Assert.Equal(HookKind.XdpLink, resolved.Target.Hook.Kind);
            Assert.Equal(resolved.Target.OriginalInfo.Id, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
        }
        // The pinned link keeps it attached after the process lets go.
        Assert.NotEqual(0u, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
    }

    [Fact]
    public void An_interface_that_runs_nothing_and_may_not_be_attached_is_refused_with_the_hosts_reason()
    {
        using var pair = VethPair.Create();
        uint? pinned = 42;
        var e = Assert.Throws<KecleonException>(() => TargetResolver.Resolve(
            new TargetSelector.Interface(pair.HostEnd, id => { pinned = id; return ": nothing to restore"; }), Input, pair.PinDirectory));
        Assert.Equal($"no XDP program is attached to {pair.HostEnd}: nothing to restore", e.Message);
        Assert.Null(pinned); // nothing of Kecleon's was pinned for it
        Assert.Equal(0u, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
    }

    [Fact]
    public void Another_loaders_program_is_found_by_id_and_the_original_is_the_input_on_its_maps()
    {
        using var pair = VethPair.Create();
        using var running = SwapFixture.LoadOriginal();
        var info = running.Program.Info();
        using var attached = NetlinkAttachment.Attach(BpfXdp.InterfaceIndex(pair.HostEnd), running.Program);
        using var resolved = TargetResolver.Resolve(new TargetSelector.Program(info.Id), Input, pair.PinDirectory);
        Assert.Null(resolved.Loaded);
        Assert.Equal(info.Id, resolved.Target.OriginalInfo.Id);
        var standIn = resolved.Original.Program.Info();
        Assert.NotEqual(info.Id, standIn.Id);
        Assert.Equal(info.Tag, standIn.Tag);
        Assert.Equal(info.MapIds, standIn.MapIds);
        Assert.Same(resolved.Original, resolved.Original); // loaded once
    }

    [Fact]
    public void A_program_attached_nowhere_is_refused_with_the_hosts_advice()
    {
        using var loaded = SwapFixture.LoadOriginal();
        var id = loaded.Program.Info().Id;
        var e = Assert.Throws<KecleonException>(() => TargetResolver.Resolve(
            new TargetSelector.Program(id) { NotAttachedAdvice = n => $"; try again with {n}" }, Input, "/sys/fs/bpf/kecleon-test-unused"));
        Assert.Equal($"program {id} is not attached to any XDP or TC hook (searched every XDP and tcx link, and the XDP and cls_bpf " +
                     $"attachments of every interface in every network namespace); try again with {id}", e.Message);
    }
}
