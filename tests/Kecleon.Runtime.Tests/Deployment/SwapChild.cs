using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>
/// The test assembly run as a program (<c>dotnet Kecleon.Runtime.Tests.dll swap KIND HOOK PINROOT full|short</c>): one
/// process doing what a Kecleon command does to a target, for <see cref="SwapCrashTests"/> to kill at each
/// <see cref="FaultInjection.Step"/>. <c>full</c>: a profile window (a copy of the original as the instrumented program),
/// a swap to an optimized program, a second swap replacing it, a restore. <c>short</c>: one swap and a restore.
/// </summary>
internal static class SwapChild
{
    public static int Main(string[] args)
    {
        if (args is not ["swap", var kindName, var hookArgument, var pinRoot, var sequence])
        {
            Console.Error.WriteLine("usage: Kecleon.Runtime.Tests swap XdpLink|XdpNetlink|ProgramArraySlot LINKPIN|IFINDEX|MAPPIN PINROOT full|short");
            return ExitCodes.Usage;
        }
        try
        {
            var kind = Enum.Parse<HookKind>(kindName);
            using var target = Target.Open(OpenHook(kind, hookArgument), pinRoot);
            using var guards = GuardTable.OpenPinned(Path.Combine(pinRoot, "guards"));
            var packets = SwapCrashTests.Probes();
            var elf = SwapFixture.Object;
            if (sequence == "full")
            {
                using var instrumented = OriginalSelection.StandIn(target, elf, SwapFixture.ProgramName, "the swap fixture");
                var copy = ProgramRef.Of(instrumented.Program.Fd);
                target.BeginProfiling(copy);
                target.EndProfiling(copy);
            }
            LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, elf, SwapFixture.ProgramName, guards, packets);
            if (sequence == "full")
                LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, elf, SwapFixture.ProgramName, guards, packets);
            LiveOptimization.Restore(target, guards);
            Console.WriteLine($"done after {FaultInjection.Steps} steps");
            return 0;
        }
        catch (KecleonException e)
        {
            Console.Error.WriteLine($"swap: {e.Message}");
            return e.ExitCode;
        }
    }

    public static ProgramHook OpenHook(HookKind kind, string argument) => kind switch
    {
        HookKind.XdpLink => XdpLinkHook.OpenPinned(argument),
        HookKind.XdpNetlink => ProgramHook.ForInterface(int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture))
                               ?? throw new KecleonException($"no XDP program on interface {argument}"),
        _ => new ProgramArraySlotHook(BpfLoadedMap.OpenPinned(argument), 0),
    };
}
