using Kecleon.Runtime.Optimization;

namespace Kecleon.Daemon;

/// <summary>How the daemon asks the optimizer to fuse a chain into its entry (<c>"fuse": true</c>).</summary>
internal static class ChainFusion
{
    /// <summary><paramref name="options"/> for the entry of a chain kept fused, else as they are.</summary>
    public static OptimizeOptions WithChainFusion(this OptimizeOptions options, bool fuse, LiveTarget live) =>
        !fuse ? options : throw new KecleonException(
            $"\"fuse\": true: chain fusion is not in this build; {live.Config.Name} can be kept optimized per stage (\"fuse\": false)");
}
