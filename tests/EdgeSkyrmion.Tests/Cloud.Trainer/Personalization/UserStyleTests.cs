using EdgeSkyrmion.Cloud.Personalization;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

public class UserStyleTests
{
    [Fact]
    public void StyleIsFixedPerUserAndDiffersBetweenUsers()
    {
        Assert.Equal(UserStyle.ForUser("alice"), UserStyle.ForUser("alice"));
        Assert.NotEqual(UserStyle.ForUser("alice"), UserStyle.ForUser("bob"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EveryParameterStaysWithinTheRealisticRanges(bool strong)
    {
        for (int u = 0; u < 200; u++)
        {
            UserStyle s = UserStyle.ForUser($"user-{u}", strong);
            Assert.InRange(Math.Abs(s.SlantDeg), 0, UserStyle.MaxSlantDeg);
            Assert.InRange(Math.Abs(s.RotationDeg), 0, UserStyle.MaxRotationDeg);
            Assert.InRange(s.Thickness, UserStyle.MinThickness, UserStyle.MaxThickness);
            Assert.InRange(s.Scale, UserStyle.MinScale, UserStyle.MaxScale);
            Assert.InRange(s.ElasticAmplitudePx, 0, UserStyle.MaxElasticAmplitudePx);
            if (strong) Assert.True(Math.Abs(s.SlantDeg) >= 0.6 * UserStyle.MaxSlantDeg, $"strong style slant {s.SlantDeg}");
        }
    }

    [Fact]
    public void ThickerStyleWritesMoreInkAndThinnerLess()
    {
        (byte[] images, _) = SyntheticDigits.Make(20, seed: 4);
        var thick = new UserStyle(0, 0, 2, 1, 0, 12, 0);
        var thin = new UserStyle(0, 0, 0.5, 1, 0, 12, 0);
        var identity = new UserStyle(0, 0, 1, 1, 0, 12, 0);
        double Ink(UserStyle style)
        {
            var output = new byte[DigitSet.Pixels];
            double ink = 0;
            for (int n = 0; n < 20; n++)
            {
                style.Apply(images.AsSpan(n * DigitSet.Pixels, DigitSet.Pixels), output);
                ink += output.Sum(b => (double)b);
            }
            return ink;
        }
        Assert.Equal(images.Sum(b => (double)b), Ink(identity), 1e-6);
        Assert.True(Ink(thick) > 1.3 * Ink(identity));
        Assert.True(Ink(thin) < 0.8 * Ink(identity));
    }

    [Fact]
    public void SplitIsDeterministicDisjointAndKeepsImagesAt28By28()
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(300, seed: 5);
        var source = new DigitSet(DigitSplit.Test, images, labels);
        UserStyle style = UserStyle.ForUser("carol");
        (DigitSet train, DigitSet test) = UserDataSplit.Draw("carol", style, source, 100, 150);
        (DigitSet again, _) = UserDataSplit.Draw("carol", style, source, 100, 150);
        Assert.Equal(100 * DigitSet.Pixels, train.Images.Length);
        Assert.Equal(150 * DigitSet.Pixels, test.Images.Length);
        Assert.Equal(train.Images, again.Images);
        // SyntheticDigits draws each image differently, so the styled bytes identify the source image.
        var trainImages = Enumerable.Range(0, train.Count).Select(i => Convert.ToHexString(train.Image(i))).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, test.Count), i => trainImages.Contains(Convert.ToHexString(test.Image(i))));
        Assert.Throws<ArgumentException>(() => UserDataSplit.Draw("carol", style, source, 200, 200));
    }
}
