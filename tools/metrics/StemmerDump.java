/* Reads words (one a line, UTF-8) and prints Meteor 1.5's Snowball English stem of each (used for fixtures). */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

import edu.cmu.meteor.aligner.SnowballStemmerWrapper;
import org.tartarus.snowball.ext.englishStemmer;

public class StemmerDump {
	public static void main(String[] args) throws Exception {
		SnowballStemmerWrapper stemmer = new SnowballStemmerWrapper(new englishStemmer());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
		PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, "UTF-8"));
		String w;
		while ((w = in.readLine()) != null)
			out.println(stemmer.stem(w));
		out.flush();
	}
}
