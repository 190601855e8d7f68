using WsGame.Api.Game;
using static WsGame.Api.Tests.Game.GameTestKit;

namespace WsGame.Api.Tests.Game;

/// <summary>The grid that files players by cell, so big rooms look only at the players near a question.</summary>
public sealed class PlayerGridTests
{
    [Fact]
    public void Collect_finds_exactly_the_players_whose_corner_is_in_the_rectangle_edges_included()
    {
        var grid = new PlayerGrid(100);
        var inside = new[] { Player("a", 50, 50), Player("b", 150, 150), Player("c", 199, 120) };
        var outside = new[] { Player("d", 49, 50), Player("e", 200, 150), Player("f", 150, 201), Player("g", 900, 900) };
        foreach (var player in inside.Concat(outside))
        {
            grid.Place(player);
        }
        var found = new List<PlayerState>();

        grid.Collect(50, 50, 199, 200, found);

        Assert.Equal(["a", "b", "c"], found.Select(player => player.Id).Order());
    }

    [Fact]
    public void A_player_that_moved_is_found_at_its_new_place_only_once_refiled()
    {
        var grid = new PlayerGrid(100);
        var player = Player("a", 10, 10);
        grid.Place(player);
        player.Left = 450;
        grid.Place(player);
        var near = new List<PlayerState>();
        var far = new List<PlayerState>();

        grid.Collect(0, 0, 99, 99, near);
        grid.Collect(400, 0, 499, 99, far);

        Assert.Empty(near);
        Assert.Same(player, Assert.Single(far));
        Assert.Equal(1, grid.Count);
    }

    [Fact]
    public void A_removed_player_is_found_nowhere_and_clear_forgets_everyone()
    {
        var grid = new PlayerGrid(64);
        var a = Player("a", 10, 10);
        var b = Player("b", 20, 20);
        grid.Place(a);
        grid.Place(b);

        grid.Remove(a);
        var afterRemove = new List<PlayerState>();
        grid.Collect(0, 0, 1000, 1000, afterRemove);
        grid.Clear();
        var afterClear = new List<PlayerState>();
        grid.Collect(0, 0, 1000, 1000, afterClear);

        Assert.Same(b, Assert.Single(afterRemove));
        Assert.Empty(afterClear);
        Assert.Equal(0, grid.Count);
    }

    [Fact]
    public void Walking_the_cells_of_a_small_rectangle_and_scanning_every_cell_for_a_wide_one_find_the_right_players()
    {
        var grid = new PlayerGrid(10);
        var random = new Random(7);
        var players = Enumerable.Range(0, 400).Select(i => Player($"p{i}", random.Next(0, 300), random.Next(0, 300))).ToList();
        players.ForEach(grid.Place);
        var walked = new List<PlayerState>();
        var scanned = new List<PlayerState>();

        // 16 x 12 = 192 cells, fewer than the cells filed: Collect walks them one by one.
        grid.Collect(-25, -25, 120, 80, walked);
        // Reaching 100,000 px past the wall: more cells than filed, so Collect reads every filed cell instead.
        grid.Collect(-100_000, -25, 120, 80, scanned);

        var expected = players.Where(p => p.Left <= 120 && p.Top <= 80).Select(p => p.Id).Order().ToList();
        Assert.True(expected.Count > 20, "the rectangle should hold a fair sample");
        Assert.Equal(expected, walked.Select(p => p.Id).Order());
        Assert.Equal(expected, scanned.Select(p => p.Id).Order());
    }

    [Fact]
    public void Around_a_cell_means_that_cell_and_the_eight_touching_it()
    {
        var grid = new PlayerGrid(100);
        var centre = Player("centre", 150, 150);
        var corner = Player("corner", 299, 299);
        var side = Player("side", 0, 150);
        var twoAway = Player("twoAway", 300, 150);
        foreach (var player in new[] { centre, corner, side, twoAway })
        {
            grid.Place(player);
        }
        var around = new List<PlayerState>();

        grid.CollectAround(grid.CellOf(centre), around);

        Assert.Equal(["centre", "corner", "side"], around.Select(player => player.Id).Order());
        Assert.True(PlayerGrid.AreNeighbours(grid.CellOf(centre), grid.CellOf(corner)));
        Assert.False(PlayerGrid.AreNeighbours(grid.CellOf(side), grid.CellOf(twoAway)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(-1, -1)]
    [InlineData(-100, -1)]
    [InlineData(-101, -2)]
    public void Cells_split_the_plane_at_multiples_of_the_cell_size(int left, int expectedColumn)
    {
        var grid = new PlayerGrid(100);

        Assert.Equal(grid.CellAt(expectedColumn * 100, 0), grid.CellAt(left, 0));
        Assert.Equal(grid.CellAt(0, expectedColumn * 100), grid.CellAt(0, left));
    }
}
