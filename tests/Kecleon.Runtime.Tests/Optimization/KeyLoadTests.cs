using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>How a decision function loads a key: the word the program wrote as 4 + 2 + 2 bytes is loaded in those
/// pieces, naturally aligned, never across a write's start.</summary>
public sealed class KeyLoadTests
{
    [Theory]
    [InlineData(0, 8, new int[0], "0:8")]
    [InlineData(0, 8, new[] { 4, 6 }, "0:4 4:2 6:2")]
    [InlineData(0, 8, new[] { 4 }, "0:4 4:4")]
    [InlineData(8, 16, new[] { 10, 12, 13 }, "8:2 10:2 12:1 13:1 14:2")]
    [InlineData(0, 6, new int[0], "0:4 4:2")]
    [InlineData(0, 8, new[] { 3 }, "0:2 2:1 3:1 4:4")]
    public void A_word_is_loaded_in_aligned_pieces_that_cross_no_write(int from, int to, int[] cuts, string expected)
    {
        var pieces = KeyLoader.Pieces(from, to, new SortedSet<int>(cuts));
        Assert.Equal(expected, string.Join(" ", pieces.Select(p => $"{p.At}:{p.Bytes}")));
    }
}
