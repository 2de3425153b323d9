/*
 * Driver for the public Meteor 1.5 classes (github.com/cmu-mtlab/meteor, compiled from source by
 * build_meteor.sh) that speaks the -stdio protocol exactly as coco-caption's meteor-1.5.jar does:
 *
 *   SCORE ||| ref1 ||| ... ||| refN ||| hyp   ->  one line of sufficient statistics
 *   EVAL ||| stats1 ||| ... ||| statsK          ->  K lines (the score of each segment), then one line
 *                                                   with the corpus score of the summed statistics
 *
 * The public source's Meteor.scoreStdio only reads the first statistics of an EVAL line; coco-caption's
 * wrapper (pycocoevalcap/meteor/meteor.py) sends all segments in one EVAL line and reads K + 1 lines back.
 * Everything numeric here is Meteor's own code: MeteorScorer.getMeteorStats, MeteorStats.addStats,
 * MeteorScorer.computeMetrics. Options are parsed by Meteor.createPropertiesFromArgs.
 */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Properties;

import edu.cmu.meteor.scorer.MeteorConfiguration;
import edu.cmu.meteor.scorer.MeteorScorer;
import edu.cmu.meteor.scorer.MeteorStats;

public class MeteorCocoStdio {
	public static void main(String[] args) throws Exception {
		// Same argument layout as Meteor: <test> <reference> [options]; test and reference are "-".
		Properties props = Meteor.createPropertiesFromArgs(args, 2);
		MeteorConfiguration config = new MeteorConfiguration(props);
		MeteorScorer scorer = new MeteorScorer(config);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
		PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, "UTF-8"), true);
		String line;
		while ((line = in.readLine()) != null) {
			if (line.startsWith("SCORE") || line.startsWith("score")) {
				String[] part = line.split("\\|\\|\\|");
				ArrayList<String> refs = new ArrayList<String>();
				for (int i = 1; i < part.length - 1; i++)
					refs.add(part[i].trim());
				String test = part[part.length - 1].trim();
				MeteorStats stats = scorer.getMeteorStats(test, refs);
				out.println(stats.toString());
			} else if (line.startsWith("EVAL") || line.startsWith("eval")) {
				String[] part = line.split("\\|\\|\\|");
				MeteorStats agg = new MeteorStats();
				for (int i = 1; i < part.length; i++) {
					MeteorStats stats = new MeteorStats(part[i].trim());
					scorer.computeMetrics(stats);
					out.println(stats.score);
					agg.addStats(stats);
				}
				scorer.computeMetrics(agg);
				out.println(agg.score);
			} else {
				out.println("Error: specify SCORE or EVAL");
			}
		}
	}
}
