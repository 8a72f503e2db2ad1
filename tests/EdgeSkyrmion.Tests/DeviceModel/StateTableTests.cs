using EdgeSkyrmion.DeviceModel.Compact;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class StateTableTests
{
    [Fact]
    public void DefaultPresetHasBackgroundPlusSixStatesOverThePaperRange()
    {
        StateTable table = Presets.Get(Presets.Default);
        Assert.Equal(7, table.States); // background + six skyrmionic states
        Assert.InRange(table.StateMeansG0[0], 0.95, 1.05);
        Assert.InRange(table.StateMeansG0[^1], 1.5, 1.7);
    }

    [Fact]
    public void RoundTripsThroughAFile()
    {
        string path = Path.GetTempFileName();
        StateTable table = Presets.Get(Presets.Default);
        table.Save(path);
        Assert.Equal(table.StateMeansG0, StateTable.Load(path).StateMeansG0);
    }

    [Fact]
    public void UnknownPresetNamesTheShippedOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Presets.Get("no-such-preset"));
        Assert.Contains(Presets.Default, e.Message);
    }

    [Fact]
    public void AShippedPresetIsParsedOnceAndSharedWhileAFileIsReadAfreshAndNeverTakenForAShippedOne()
    {
        Assert.Same(Presets.Get(Presets.Default), Presets.Get(Presets.Default));
        string path = Path.GetTempFileName();
        try
        {
            StateTable table = Presets.Get(Presets.Default);
            table.Save(path);
            StateTable first = Presets.Get(path);
            Assert.NotSame(first, Presets.Get(path));
            (table with { PulseEnergyJ = table.PulseEnergyJ * 2 }).Save(path);
            Assert.Equal(table.PulseEnergyJ * 2, Presets.Get(path).PulseEnergyJ);
            Assert.Equal(table.PulseEnergyJ, Presets.Get(Presets.Default).PulseEnergyJ);
            Assert.Same(Presets.Get(Presets.Default), Presets.Shipped(Presets.Default));
            Assert.Contains("no preset", Assert.Throws<ArgumentException>(() => Presets.Shipped(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
