# helper used while authoring: converts " | "-separated lines on stdin to the TSV source
# usage: sh annotations/gold/src.sh DOC_ID < lines
sed 's/ | /\t/g' > "$(dirname "$0")/source/$1.tsv"
