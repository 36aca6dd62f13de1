using Kecleon.Runtime.Optimization;

namespace Kecleon.Daemon;

/// <summary>How the daemon asks the optimizer to fuse a chain into its entry (<c>"fuse": true</c>).</summary>
internal static class ChainFusionOptions
{
    /// <summary><paramref name="options"/> for the entry of a chain kept fused (<see cref="OptimizeOptions.FuseChain"/>:
    /// the PROG_ARRAYs it tail-calls through become guarded snapshots, so a write to one of them invalidates the fused
    /// program like any specialized map's), else as they are.</summary>
    public static OptimizeOptions WithChainFusion(this OptimizeOptions options, bool fuse) =>
        fuse ? options with { FuseChain = true } : options;
}
