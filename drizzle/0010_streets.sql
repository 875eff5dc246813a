CREATE TABLE "streets" (
	"street" text NOT NULL,
	"ward_id" text NOT NULL,
	"postcode_district" text DEFAULT '' NOT NULL,
	CONSTRAINT "streets_street_ward_id_postcode_district_pk" PRIMARY KEY("street","ward_id","postcode_district")
);
--> statement-breakpoint
ALTER TABLE "streets" ADD CONSTRAINT "streets_ward_id_wards_id_fk" FOREIGN KEY ("ward_id") REFERENCES "public"."wards"("id") ON DELETE no action ON UPDATE no action;